"""What people see: figure style and CJK fonts, maps, notebook rendering and batches, HTML templates."""
