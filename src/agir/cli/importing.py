"""``agir import ...``: the real datasets' layouts -> labelled-walk folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from agir.cli.common import console, fail
from agir.errors import AgirError

import_app = typer.Typer(no_args_is_help=True, help="Turn a real dataset's layout into a labelled-walk folder.")


def _run_import(action: Callable[[], dict], out: Path) -> None:
    """Run an importer; print what it imported and skipped, or the error (exit 1)."""
    try:
        report = action()
    except AgirError as exc:
        fail(exc)
        return
    console.print(f"imported {report['imported']} walks into {out}; skipped {len(report['skipped'])}"
                  + (f" (see {out / 'import_report.json'})" if report["skipped"] else ""))  # fmt: skip


@import_app.command("carepd")
def import_carepd_cmd(
    pickles: list[Path] = typer.Argument(..., help="CARE-PD .pkl files (one per cohort)."),
    out: Path = typer.Option(..., "--out", help="New labelled-walk folder."),
) -> None:
    """CARE-PD pickles (SMPL pose/trans, UPDRS_GAIT labels, subjects as keys)."""
    from agir.corpus.importers import import_carepd

    _run_import(lambda: import_carepd(pickles, out), out)


@import_app.command("pdgam")
def import_pdgam_cmd(
    folder: Path = typer.Argument(..., help="Folder of HumanML3D 263-feature .npy files (searched recursively)."),
    labels: Path = typer.Option(..., "--labels", help="CSV with file, subject and score columns."),
    out: Path = typer.Option(..., "--out", help="New labelled-walk folder."),
    fps: float = typer.Option(20.0, "--fps", min=1.0, help="Frame rate of the features (HumanML3D: 20)."),
) -> None:
    """PD-GaM / HumanML3D feature folders with a label CSV."""
    from agir.corpus.importers import import_labelled_files

    _run_import(lambda: import_labelled_files(folder, labels, out, "humanml3d", fps), out)


@import_app.command("bmclab")
def import_bmclab_cmd(
    folder: Path = typer.Argument(..., help="Folder of C3D marker files (searched recursively)."),
    labels: Path = typer.Option(..., "--labels", help="CSV with file, subject and score columns."),
    out: Path = typer.Option(..., "--out", help="New labelled-walk folder."),
) -> None:
    """BMCLab-style C3D folders with a label CSV."""
    from agir.corpus.importers import import_labelled_files

    _run_import(lambda: import_labelled_files(folder, labels, out, "c3d"), out)
