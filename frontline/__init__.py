"""Frontline: an atlas of the rise and fall of ISIS's territory in Syria and Iraq, 2014-2019."""

__version__ = "0.1.0"
