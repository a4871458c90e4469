"""The self-contained HTML report (and its PDF) for a real CMU walk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agir.cli import app
from agir.report.build import find_browser

runner = CliRunner()


def _report(args: list[str]) -> None:
    result = runner.invoke(app, ["report", *map(str, args)])
    assert result.exit_code == 0, result.output


def test_the_report_of_a_real_walk_has_every_part(tiny_model: Path, cmu_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    _report([cmu_dir / "136_01.bvh", "--out", out, "--model", tiny_model])
    html = out.read_text()
    score = re.search(r'<div class="score" id="score">(\d)</div>', html)
    assert score and score.group(1) in "01234"
    assert 'id="probabilities"' in html and html.count('class="bar') == 5
    assert 'id="rationale"' in html and 'id="claims"' in html
    for plot in ("plot-steps", "plot-arms", "plot-feet", "plot-trunk", "plot-turn"):
        assert f'id="{plot}"' in html and f'<svg class="plot" id="{plot}"' in html, plot
    assert 'id="skeleton"' in html and 'id="play"' in html and 'id="skeleton-data"' in html
    assert "A research tool, not a diagnosis" in html
    assert "136_01.bvh" in html and "(bvh, 120 fps" in html and "stage 2, tiny-llama" in html
    trunk_row = re.search(r"<tr><td>Trunk flexion</td><td colspan=\"2\" class=\"(\w+)\">(\d+) deg", html)
    assert trunk_row and trunk_row.group(1) == "high" and int(trunk_row.group(2)) > 30  # walking bent forward
    assert not re.search(r'(src|href)="(https?:)?//', html)  # self-contained: nothing fetched from a network


def test_a_report_without_a_model_shows_the_measurements(cmu_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    _report([cmu_dir / "136_22.bvh", "--out", out, "--no-model"])
    html = out.read_text()
    assert "No model was used" in html and 'id="parameters"' in html and 'id="plot-feet"' in html


def test_report_errors_leave_nothing_behind(cmu_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(cmu_dir / "136_22.bvh"), "--out", str(tmp_path / "r.txt"), "--no-model"])
    assert result.exit_code == 1 and ".html" in result.output and not (tmp_path / "r.txt").exists()
    (tmp_path / "bad.bvh").write_text("HIERARCHY\nROOT Hips\n")
    result = runner.invoke(app, ["report", str(tmp_path / "bad.bvh"), "--out", str(tmp_path / "r.html"), "--no-model"])
    assert result.exit_code == 1 and "bad.bvh" in result.output and not (tmp_path / "r.html").exists()


@pytest.mark.skipif(find_browser() is None, reason="no headless Chromium for --pdf (.ci/run installs one)")
def test_pdf_beside_the_html(cmu_dir: Path, tmp_path: Path) -> None:
    _report([cmu_dir / "136_22.bvh", "--out", tmp_path / "r.html", "--no-model", "--pdf"])
    assert (tmp_path / "r.pdf").read_bytes()[:5] == b"%PDF-"
