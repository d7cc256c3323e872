"""What the data means: the registry of units and its code history, name resolution, the indicator
registry (``indicators.yaml``), ``load()`` over the processed tables, boundaries and projection."""
