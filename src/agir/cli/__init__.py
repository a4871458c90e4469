"""The ``agir`` command line: a thin layer over the library. Errors print one line and exit non-zero."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from agir.cli.common import console, dumps, err_console, fail
from agir.errors import AgirError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="AGIR: gait impairment assessment with reasoning.")


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    """AGIR: measure a walk, score it on MDS-UPDRS 3.10 and explain the score."""
    if version:
        from agir import __version__

        console.print(__version__)
        raise typer.Exit()


@app.command()
def analyze(
    path: Path = typer.Argument(..., help="Motion file (.bvh .c3d .trc .npy .npz .pkl)."),
    fmt: Optional[str] = typer.Option(None, "--format", help="Override the format: bvh c3d trc npy npz humanml3d carepd."),
    joints: Optional[str] = typer.Option(None, "--joints", help="Joint layout of arrays: smpl22 smpl24 h36m17 coco17 halpe26."),
    units: str = typer.Option("auto", "--units", help="Length unit of BVH/arrays: auto m cm mm in cmu."),
    fps: Optional[float] = typer.Option(None, "--fps", help="Frame rate where the file has none (.npy)."),
    as_json: bool = typer.Option(False, "--json", help="Print the parameters as JSON."),
) -> None:
    """Measure a walk: gait events, strides, turns and summary parameters against healthy ranges."""
    from agir.gait import analyze_motion
    from agir.gait.rows import parameter_rows
    from agir.readers import read_motion

    try:
        motion = read_motion(path, fmt, joints, units, fps)
        analysis = analyze_motion(motion)
    except AgirError as exc:
        fail(exc)
        return
    if as_json:
        out = analysis.to_dict()
        out["source"] = {"path": motion.source.path, "format": motion.source.format,
                         "layout": motion.source.layout, "units": motion.source.units,
                         "notes": motion.source.notes, "missing_joints": motion.missing_joints}  # fmt: skip
        sys.stdout.write(dumps(out) + "\n")
        return
    p = analysis.parameters
    table = Table(title=f"{path.name}: {p.duration_s:.1f} s at {p.fps:.0f} fps, {p.n_strides} straight strides")
    for col in ("parameter", "measured", "healthy range", ""):
        table.add_column(col)
    style = {"normal": "green", "low": "yellow", "high": "yellow", "n/a": "dim"}
    for row in parameter_rows(p):
        table.add_row(row.label, row.value, row.normal_range, f"[{style[row.status]}]{row.status}[/]")
    console.print(table)
    for note in motion.source.notes + p.notes:
        console.print(f"[dim]note: {note}[/]")


@app.command()
def synth(
    out: Path = typer.Option(..., "--out", help="New folder for the walks (.npz) and manifest.csv."),
    subjects: int = typer.Option(40, "--subjects", min=1, help="Number of subjects (scores 0-3 in turn)."),
    walks_per_subject: int = typer.Option(4, "--walks-per-subject", min=1, help="Walks per subject."),
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed gives the same files."),
    fps: Optional[float] = typer.Option(None, "--fps", min=1.0, help="Frame rate of every walk (default: drawn from 20-120)."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Worker processes (default: all cores)."),
) -> None:
    """Generate synthetic Parkinsonian walks (10 m out, 180-degree turn, back) at scores 0-3."""
    from rich.progress import Progress

    from agir.synth.dataset import SynthConfig, write_synthetic_dataset

    config = SynthConfig(subjects=subjects, walks_per_subject=walks_per_subject, seed=seed, fps=fps)
    total = subjects * walks_per_subject
    try:
        with Progress(console=err_console, transient=True) as bar:
            task = bar.add_task("generating walks", total=total)
            rows = write_synthetic_dataset(out, config, workers, lambda n: bar.update(task, completed=n))
    except AgirError as exc:
        fail(exc)
        return
    seconds = sum(r["duration_s"] for r in rows)
    console.print(f"wrote {len(rows)} walks ({seconds / 60:.1f} min of walking) of {subjects} subjects to {out}")


@app.command()
def corpus(
    data: Path = typer.Option(..., "--data", help="Labelled-walk folder with a manifest.csv (e.g. from agir synth)."),
    out: Path = typer.Option(..., "--out", help="New folder for the JSONL corpus."),
    splits: str = typer.Option("kfold:5", "--splits", help="Subject-wise splits: kfold:K, loso, or both (comma-separated)."),
    paraphrases: int = typer.Option(3, "--paraphrases", min=1, help="Stage-1 description paraphrases per walk."),
    seed: int = typer.Option(0, "--seed", help="Seed for wording variants and fold assignment."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Worker processes (default: all cores)."),
) -> None:
    """Measure every walk of a labelled folder and write descriptions, rationales and splits (JSONL)."""
    from rich.progress import Progress

    from agir.corpus.build import CorpusConfig, build_corpus

    config = CorpusConfig(paraphrases=paraphrases, splits=splits, seed=seed)
    try:
        with Progress(console=err_console, transient=True) as bar:
            task = bar.add_task("measuring walks", total=None)
            summary = build_corpus(data, out, config, workers, lambda n, total: bar.update(task, completed=n, total=total))
    except AgirError as exc:
        fail(exc)
        return
    console.print(f"wrote {summary['walks']} walks of {summary['subjects']} subjects to {out} "
                  f"({summary['stage1_rows']} stage-1 rows, {summary['stage2_rows']} stage-2 rows, "
                  f"splits: {', '.join(summary['splits'])}); skipped {summary['skipped']}")  # fmt: skip


from agir.cli.importing import import_app  # noqa: E402 - sub-commands register after the main ones
from agir.cli.assess import assess as _assess, describe as _describe, evaluate as _evaluate, generate as _generate  # noqa: E402
from agir.cli.lm import train as _train  # noqa: E402
from agir.cli.report import report as _report, serve as _serve  # noqa: E402
from agir.cli.tokenizer import tokenizer_app  # noqa: E402

app.add_typer(import_app, name="import")
app.add_typer(tokenizer_app, name="tokenizer")
app.command("train")(_train)
app.command("assess")(_assess)
app.command("evaluate")(_evaluate)
app.command("describe")(_describe)
app.command("generate")(_generate)
app.command("report")(_report)
app.command("serve")(_serve)


if __name__ == "__main__":  # pragma: no cover
    app()
