"""Log hygiene: libraries that would write document or record content into the log are kept quiet.

fontTools logs, for every PDF it subsets a font for, the names of the glyphs used (the letters of the
document); PIL, matplotlib and fpdf log file and font details at INFO/DEBUG. Their loggers are set to
WARNING when amnesty is imported, whatever level the root logger has, so a server started with INFO
or DEBUG logging still writes no case content. Our own loggers write identifiers and route templates,
never names, IINs or document text.
"""

from __future__ import annotations

import logging

QUIET_LOGGERS = ("fontTools", "PIL", "matplotlib", "fpdf", "docx", "openpyxl", "xlsxwriter", "multipart")


def quiet_library_loggers(level: int = logging.WARNING) -> None:
    """Raise the level of the content-revealing library loggers to `level` (default WARNING)."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(level)
