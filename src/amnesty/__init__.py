"""amnesty: applies Kazakhstan Law No. 152-VII "On Amnesty" (2022) to criminal case records."""

from amnesty.logs import quiet_library_loggers

__version__ = "0.1.0"

quiet_library_loggers()
