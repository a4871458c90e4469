"""``agir assess | evaluate | describe | generate``: use a trained AGIR model."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from agir.cli.common import console, dumps, err_console, fail, precision_option
from agir.errors import AgirError

MODEL_HELP = "AGIR model folder (default: $AGIR_MODEL or the shipped models/agir)."


def _print_assessment(a) -> None:  # noqa: ANN001
    console.print(f"[bold]{Path(a.source['path']).name}[/]: MDS-UPDRS 3.10 score [bold]{a.score}[/] "
                  f"(P = {', '.join(f'{k}: {v:.2f}' for k, v in a.probabilities.items())})")  # fmt: skip
    console.print(a.rationale, highlight=False)
    table = Table(title="claims checked against the measurements")
    for col in ("claim", "measured", "healthy", "agrees"):
        table.add_column(col)
    for c in a.claims:
        rng = f"{c['healthy_range'][0]:g}-{c['healthy_range'][1]:g} {c['unit']}" if c["healthy_range"] else ""
        measured = "" if c["measured"] is None else f"{c['measured']:g} {c['unit'] or ''}"
        table.add_row(c["text"], measured, rng, "[green]yes[/]" if c["consistent"] else f"[red]no[/]: {c['reason']}")
    console.print(table)
    faith = "n/a" if a.faithfulness is None else f"{a.faithfulness:.0%}"
    console.print(f"faithfulness {faith}; {a.generated_tokens:.0f} tokens in {a.seconds:.1f} s; model {a.model}")
    console.print("[dim]A research tool, not a diagnosis.[/]")


def assess(
    path: Path = typer.Argument(..., help="A motion file, or a folder of them (then --out is required)."),
    model: Optional[Path] = typer.Option(None, "--model", help=MODEL_HELP),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder mode: the CSV to write (one row per walk)."),
    fmt: Optional[str] = typer.Option(None, "--format", help="Override the format: bvh c3d trc npy npz humanml3d carepd."),
    joints: Optional[str] = typer.Option(None, "--joints", help="Joint layout of arrays: smpl22 smpl24 h36m17 coco17 halpe26."),
    units: str = typer.Option("auto", "--units", help="Length unit of BVH/arrays: auto m cm mm in cmu."),
    fps: Optional[float] = typer.Option(None, "--fps", help="Frame rate where the file has none (.npy)."),
    as_json: bool = typer.Option(False, "--json", help="Print the assessment as JSON."),
    batch: int = typer.Option(8, "--batch", min=1, help="Folder mode: walks per model call."),
    precision: str = precision_option(),
) -> None:
    """Measure a walk, let the model explain and score it (MDS-UPDRS 3.10), and check every claim."""
    from rich.progress import Progress

    from agir.assess.assessment import Assessor, assess_folder

    try:
        if path.is_dir():
            if out is None:
                raise AgirError(f"{path} is a folder: pass --out results.csv")
            assessor = Assessor(model, precision)
            with Progress(console=err_console, transient=True) as bar:
                task = bar.add_task("assessing walks", total=None)
                rows = assess_folder(path, out, assessor, batch, lambda n, total: bar.update(task, completed=n, total=total))
            errors = sum(1 for r in rows if r.get("error"))
            console.print(f"assessed {len(rows) - errors} of {len(rows)} files; wrote {out}" + (f" ({errors} unreadable: see the error column)" if errors else ""))
            return
        if not path.exists():
            raise AgirError(f"{path}: file does not exist")
        assessment = Assessor(model, precision).assess_file(path, fmt, joints, units, fps)
    except AgirError as exc:
        fail(exc)
        return
    if as_json:
        sys.stdout.write(dumps(assessment.to_dict()) + "\n")
    else:
        _print_assessment(assessment)


def evaluate(
    corpus: Path = typer.Option(..., "--corpus", help="Corpus folder (agir corpus) with splits.json."),
    model: Optional[list[Path]] = typer.Option(None, "--model", help="AGIR model folder(s) trained on one fold (repeat for ablations)."),
    split: Optional[str] = typer.Option(None, "--split", help="Split name (default: the model's)."),
    fold: Optional[int] = typer.Option(None, "--fold", help="Fold (default: the one the model held out)."),
    per_subject: Optional[int] = typer.Option(None, "--walks-per-subject", min=1, help="At most this many test walks per subject."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the JSON results here (and a .md table beside it)."),
    update_card: bool = typer.Option(False, "--update-card", help="Store the table in each model's agir_lm.json and README.md."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON instead of the table."),
    precision: str = precision_option(),
) -> None:
    """AGIR beside the baselines (majority, random forest, skeleton classifier) on held-out subjects."""
    from rich.progress import Progress

    from agir.assess.evaluate import evaluate_models
    from agir.lm.card import model_card
    from agir.lm.model import LM_CONFIG, read_lm_folder
    from agir.readers.labelled import atomic_write_text

    try:
        with Progress(console=err_console, transient=True) as bar:
            task = bar.add_task("evaluating", total=None)
            results = evaluate_models(corpus, model or [], split, fold, per_subject,
                                      progress=lambda name, n, total: bar.update(task, description=name, completed=n, total=total),
                                      precision=precision)  # fmt: skip
    except AgirError as exc:
        fail(exc)
        return
    if out:
        atomic_write_text(out, dumps(results) + "\n")
        atomic_write_text(out.with_suffix(".md"), results["markdown"] + "\n")
    if update_card:
        summary = {k: v for k, v in results.items() if k != "methods"}
        summary["methods"] = {n: {k: v for k, v in m.items() if k != "predictions"} for n, m in results["methods"].items()}
        for folder, (name, method) in zip(model or [], list(results["methods"].items())):
            info = read_lm_folder(folder)
            info["evaluation"] = {**summary, "sample_predictions": method["predictions"][:8]}
            atomic_write_text(Path(folder) / "README.md", model_card(info))
            atomic_write_text(Path(folder) / LM_CONFIG, json.dumps(info, indent=2) + "\n")
    if as_json:
        sys.stdout.write(dumps(results) + "\n")
        return
    console.print(f"{results['split']} fold {results['fold']}: {results['test_walks']} walks of {results['test_subjects']} "
                  f"held-out subjects (baselines trained on {results['train_walks']} walks)")  # fmt: skip
    console.print(results["markdown"], highlight=False, soft_wrap=True)


def describe(
    path: Path = typer.Argument(..., help="Motion file."),
    model: Optional[Path] = typer.Option(None, "--model", help=MODEL_HELP),
    precision: str = precision_option(),
) -> None:
    """Motion -> gait description (stage-1 skill)."""
    from agir.assess.assessment import Assessor
    from agir.corpus.measures import flat_parameters
    from agir.gait import analyze_motion
    from agir.readers import read_motion

    try:
        motion = read_motion(path)
        assessor = Assessor(model, precision)
        text = assessor.lm.describe(assessor.lm.motion_ids(motion), flat_parameters(analyze_motion(motion).parameters))
    except AgirError as exc:
        fail(exc)
        return
    console.print(text, highlight=False)


def generate(
    text: str = typer.Argument(..., help="A gait description."),
    out: Path = typer.Option(..., "--out", help="The walk to write (.npz, canonical 22-joint skeleton)."),
    model: Optional[Path] = typer.Option(None, "--model", help=MODEL_HELP),
    precision: str = precision_option(),
) -> None:
    """Text -> motion tokens -> joints through the tokenizer's decoder."""
    from agir.assess.assessment import Assessor
    from agir.readers.labelled import save_walk_npz

    try:
        if out.suffix.lower() != ".npz":
            raise AgirError(f"{out}: the output must be a .npz file")
        if not text.strip():
            raise AgirError("the description is empty")
        lm = Assessor(model, precision).lm
        codes, joints = lm.generate_motion(text)
        fps = lm.motion_tokenizer.config.fps
        save_walk_npz(out, joints, fps, {"generated_from": text, "motion_codes": codes.tolist(), "model": lm.version})
    except AgirError as exc:
        fail(exc)
        return
    console.print(f"wrote {out}: {len(joints)} frames at {fps:g} fps ({len(codes)} motion tokens)")
