"""Nianbao (年报): turns government information-disclosure annual reports into open data."""

__version__ = "0.1.0"
