"""Nianbao (年报): turns government information-disclosure annual reports into open data."""

__version__ = "0.1.0"

# Bumped whenever extraction output may change: cached records carry it (see the scale issue).
EXTRACTOR_VERSION = "1"
