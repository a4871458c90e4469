"""Build a report for one walk file: read, measure, assess (if a model is given), render, write atomically."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from agir.assess.assessment import Assessor
from agir.errors import AgirError
from agir.gait import analyze_motion
from agir.readers import read_motion
from agir.readers.labelled import atomic_write_bytes, atomic_write_text
from agir.report.html import render_report

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def report_html(path: str | Path, assessor: Assessor | None, fmt: str | None = None, joints: str | None = None,
                units: str = "auto", fps: float | None = None) -> str:  # fmt: skip
    motion = read_motion(path, fmt, joints, units, fps)
    analysis = analyze_motion(motion)
    assessment = assessor.assess_motions([motion], analyses=[analysis])[0] if assessor else None
    return render_report(motion, analysis, assessment)


def find_browser() -> str | None:
    return next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)


def html_to_pdf(html: str, out: Path, timeout_s: float = 120) -> None:
    """Print the report to PDF with a headless Chromium (the only converter used); atomic."""
    browser = find_browser()
    if browser is None:
        raise AgirError(f"--pdf needs a headless Chromium ({' / '.join(BROWSERS)}) on PATH; none was found")
    with tempfile.TemporaryDirectory() as tmp:
        page, pdf = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html)
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--print-to-pdf={pdf}", page.as_uri()]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
        if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            raise AgirError(f"{browser} could not print the PDF: {done.stderr.strip()[-300:]}")
        atomic_write_bytes(out, pdf.read_bytes())


def write_report(path: str | Path, out: str | Path, assessor: Assessor | None, pdf: bool = False, **read_options: object) -> list[Path]:
    """Write ``out`` (HTML) and, with ``pdf``, the same report beside it as ``.pdf``; returns the paths."""
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise AgirError(f"{out}: the report is HTML; name it .html")
    html = report_html(path, assessor, **read_options)
    written = []
    if pdf:
        html_to_pdf(html, out.with_suffix(".pdf"))
        written.append(out.with_suffix(".pdf"))
    atomic_write_text(out, html)
    return [out, *written]
