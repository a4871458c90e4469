"""``agir report`` and ``agir serve``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from agir.cli.common import console, fail, precision_option
from agir.errors import AgirError


def report(
    path: Path = typer.Argument(..., help="Motion file (any format agir analyze reads)."),
    out: Path = typer.Option(..., "--out", help="The HTML file to write (self-contained)."),
    model: Optional[Path] = typer.Option(None, "--model", help="AGIR model folder (default: $AGIR_MODEL or models/agir)."),
    no_model: bool = typer.Option(False, "--no-model", help="Measurements only: no score, no rationale."),
    precision: str = precision_option(),
    pdf: bool = typer.Option(False, "--pdf", help="Also write the report as PDF beside it (needs a headless Chromium)."),
    fmt: Optional[str] = typer.Option(None, "--format", help="Override the format: bvh c3d trc npy npz humanml3d carepd."),
    joints: Optional[str] = typer.Option(None, "--joints", help="Joint layout of arrays: smpl22 smpl24 h36m17 coco17 halpe26."),
    units: str = typer.Option("auto", "--units", help="Length unit of BVH/arrays: auto m cm mm in cmu."),
    fps: Optional[float] = typer.Option(None, "--fps", help="Frame rate where the file has none (.npy)."),
) -> None:
    """Write a self-contained HTML report: score, checked rationale, parameters, plots, skeleton animation."""
    from agir.assess.assessment import Assessor
    from agir.report.build import write_report

    try:
        if not path.exists():
            raise AgirError(f"{path}: file does not exist")
        assessor = None if no_model else Assessor(model, precision)
        written = write_report(path, out, assessor, pdf, fmt=fmt, joints=joints, units=units, fps=fps)
    except AgirError as exc:
        fail(exc)
        return
    console.print("wrote " + ", ".join(str(p) for p in written))


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default; 0.0.0.0 exposes it to the network)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    model: Optional[Path] = typer.Option(None, "--model", help="AGIR model folder (default: $AGIR_MODEL or models/agir)."),
    no_model: bool = typer.Option(False, "--no-model", help="Serve measurements and reports without a model."),
    max_upload_mb: float = typer.Option(25.0, "--max-upload-mb", min=0.001, help="Largest accepted upload (MB)."),
    max_seconds: float = typer.Option(600.0, "--max-seconds", min=1.0, help="Longest accepted walk (seconds)."),
    max_batch: int = typer.Option(8, "--max-batch", min=1, help="Concurrent walks assessed in one model call."),
    precision: str = precision_option(),
) -> None:
    """Run the web app and API (FastAPI + uvicorn): POST /api/assess, POST /api/report, GET /, /docs."""
    import uvicorn

    from agir.serve.app import ServeConfig, create_app

    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(f"[yellow]warning:[/] binding to {host} makes the server reachable from other machines; it has no authentication")
    try:
        app = create_app(ServeConfig(str(model) if model else None, no_model, max_upload_mb, max_seconds, max_batch, precision))
    except AgirError as exc:
        fail(exc)
        return
    console.print(f"AGIR at http://{host}:{port}/ (API docs at /docs); Ctrl-C stops it")
    uvicorn.run(app, host=host, port=port, log_level="warning")
