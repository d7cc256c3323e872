"""Reading what was published: numbers and units as printed, table readers, the census reader,
figures in bulletin prose, validation, and the build that turns ``data/raw`` into ``data/processed``."""
