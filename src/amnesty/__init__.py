"""amnesty: applies Kazakhstan Law No. 152-VII "On Amnesty" (2022) to criminal case records."""

__version__ = "0.1.0"
