"""Print the HTML report to PDF through headless Chromium, when Chromium is installed.

The page's print stylesheet (A4, a page per review, link URLs printed) does the layout; this
module only drives the browser: a fresh profile, no network, no first-run work, and the PDF
written to a temporary file that is renamed into place only when it is a PDF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from reviewgraph.errors import ReviewGraphError

__all__ = ["BROWSERS", "PdfError", "find_chromium", "print_pdf"]

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
"""The commands tried, in order, to find Chromium (``REVIEWGRAPH_CHROMIUM`` overrides them)."""


class PdfError(ReviewGraphError):
    """Raised when the PDF cannot be printed: no Chromium, or Chromium failed."""


def find_chromium() -> str | None:
    """Return the path of Chromium, or ``None`` when none is installed.

    Examples
    --------
    >>> path = find_chromium()
    >>> path is None or Path(path).exists()
    True
    """
    named = os.environ.get("REVIEWGRAPH_CHROMIUM")
    if named:
        return named if Path(named).exists() else shutil.which(named)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html: Path, pdf: Path, browser: str | None = None, timeout: float = 180) -> None:
    """Print the page ``html`` to ``pdf`` with headless Chromium.

    Parameters
    ----------
    html : Path
        The report page.
    pdf : Path
        The PDF to write (replaced only when printing succeeded).
    browser : str, optional
        Chromium's path (default: :func:`find_chromium`).
    timeout : float
        Seconds to wait for Chromium.

    Raises
    ------
    PdfError
        No Chromium is installed, or it failed or wrote no PDF.
    """
    exe = browser or find_chromium()
    if exe is None:
        raise PdfError(
            "cannot print a PDF: Chromium is not installed (install it, or set "
            "REVIEWGRAPH_CHROMIUM to its path)"
        )
    from reviewgraph.io.output import write_output

    with tempfile.TemporaryDirectory(prefix="reviewgraph-chromium-") as work:
        tmp = Path(work) / "out.pdf"
        profile = Path(work) / "profile"
        command = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={tmp}",
            html.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfError(f"cannot print {pdf}: Chromium did not run ({exc})") from None
        written = tmp.read_bytes() if tmp.exists() else b""
        if done.returncode != 0 or written[:5] != b"%PDF-":
            last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise PdfError(f"cannot print {pdf}: Chromium failed ({last[0][:200]})")
        write_output(pdf, written)
