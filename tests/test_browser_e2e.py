"""End to end in a real browser: `agir serve` starts, headless Chromium (Debian's `chromium`, driven by
Playwright) opens `/`, uploads a CMU walk, and the report with the score appears. A screenshot is saved to
runs/e2e-report.png (git-ignored)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_upload_a_walk_and_see_the_report(tiny_model: Path, cmu_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "agir.cli", "serve", "--port", str(port), "--model", str(tiny_model)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                if urllib.request.urlopen(base + "/api/health", timeout=1).status == 200:
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"server exited: {server.stdout.read()}")
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            page.goto(base + "/")
            page.set_input_files("#file", str(cmu_dir / "136_01.bvh"))
            frame = page.frame_locator("#report")
            score = frame.locator("#score")
            score.wait_for(timeout=120_000)
            assert score.inner_text().strip() in {"0", "1", "2", "3", "4"}
            assert frame.locator("#plot-feet").count() == 1 and frame.locator("#claims").count() == 1
            assert "Report for 136_01.bvh" in page.locator("#status").inner_text()
            (ROOT / "runs").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "runs" / "e2e-report.png"), full_page=True)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            frame.locator("#play").click()  # the animation plays without script errors
            page.wait_for_timeout(500)
            assert frame.locator("#play").inner_text() == "Pause" and not errors
            browser.close()
        assert (ROOT / "runs" / "e2e-report.png").stat().st_size > 10_000
    finally:
        server.terminate()
        server.wait(timeout=30)
