"""What researchers compute: regressions and diagnostics, ranks, shares, growth and gaps, county lists,
one-county tables and prefecture comparisons."""
