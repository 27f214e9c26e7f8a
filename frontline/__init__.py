"""Frontline: an atlas of the rise and fall of ISIS's territory in Syria and Iraq, 2014-2019."""

__version__ = "0.4.0"

import csv as _csv
import sys as _sys

# The csv module refuses fields over 128 KiB with an exception that would take a page down.
# Frontline reads any length and reports over-long cells as problems (``validate.MAX_CELL_CHARS``).
_csv.field_size_limit(min(_sys.maxsize, 2**31 - 1))
