"""PRIC dashboard library: readers, indicators, geometry, charts and maps.

Data flows one way: raw file (data/raw) -> tidy table (lib.sources) -> indicator
(lib.indicators) -> cached loader (lib.loaders) -> page (pages/).
"""
