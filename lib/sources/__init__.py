"""One reader per data source: raw file -> tidy frame with a documented schema."""
