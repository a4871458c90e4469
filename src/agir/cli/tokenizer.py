"""``agir tokenizer train | encode | decode | evaluate``."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Optional

import typer

from agir.cli.common import console, dumps, err_console, fail
from agir.errors import AgirError, MotionFileError

tokenizer_app = typer.Typer(no_args_is_help=True, help="The VQ-VAE motion tokenizer: walks <-> motion tokens.")

PRESETS = ("cpu-small", "t2m")


def _config(config_file: Optional[Path], preset: str, steps: Optional[int], seed: Optional[int]):
    from agir.tokenizer.config import TokenizerConfig

    if preset not in PRESETS:
        raise AgirError(f"unknown preset '{preset}': expected one of {', '.join(PRESETS)}")
    config = TokenizerConfig.from_file(config_file) if config_file else (
        TokenizerConfig.cpu_small() if preset == "cpu-small" else TokenizerConfig())
    if steps is not None:
        config.steps = steps
    if seed is not None:
        config.seed = seed
    return config


@tokenizer_app.command("train")
def train(
    data: Path = typer.Option(..., "--data", help="Labelled-walk folder (manifest.csv), e.g. from agir synth."),
    out: Path = typer.Option(..., "--out", help="Model folder; a checkpoint in it is resumed."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="JSON settings (see TokenizerConfig)."),
    preset: str = typer.Option("cpu-small", "--preset", help="Without --config: cpu-small (1 M parameters) or t2m (paper size)."),
    steps: Optional[int] = typer.Option(None, "--steps", min=1, help="Override the number of training steps."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Override the seed."),
    restart: bool = typer.Option(False, "--restart", help="Ignore a checkpoint in --out and start again."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Processes for reading walks."),
) -> None:
    """Train the tokenizer on walks (held-out subjects validate); works under `accelerate launch`."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from agir.tokenizer.train import train_tokenizer

    try:
        config = _config(config_file, preset, steps, seed)
        columns = (TextColumn("training"), BarColumn(), TextColumn("{task.completed}/{task.total} {task.fields[info]}"),
                   TimeRemainingColumn())  # fmt: skip
        with Progress(*columns, console=err_console, transient=True) as bar:
            task = bar.add_task("train", total=config.steps, info="")

            def update(step: int, total: int, logs: dict) -> None:
                info = f"loss {logs.get('loss', 0):.3f}" + (f" val {logs['valid_mpjpe_mm']:.0f} mm" if "valid_mpjpe_mm" in logs else "")
                bar.update(task, completed=step, info=info)

            metrics = train_tokenizer(data, out, config, restart, update, " ".join(["agir", *sys.argv[1:]]), workers)
    except AgirError as exc:
        fail(exc)
        return
    if metrics:
        console.print(f"saved {out}: held-out MPJPE {metrics['mpjpe_mm']:.1f} mm, codebook usage "
                      f"{metrics['codebook_usage']:.0%}, perplexity {metrics['perplexity']:.0f}")  # fmt: skip


def _load(model: Path):
    from agir.tokenizer.model import MotionTokenizer

    return MotionTokenizer.from_pretrained(model)


@tokenizer_app.command("encode")
def encode(
    path: Path = typer.Argument(..., help="Motion file in any format agir reads."),
    model: Path = typer.Option(..., "--model", help="Tokenizer folder."),
    fmt: Optional[str] = typer.Option(None, "--format", help="Override the format."),
    joints: Optional[str] = typer.Option(None, "--joints", help="Joint layout of arrays."),
    fps: Optional[float] = typer.Option(None, "--fps", help="Frame rate where the file has none."),
    as_json: bool = typer.Option(False, "--json", help="Print {ids, fps, frames} as JSON."),
) -> None:
    """Print the motion token ids of a walk (space-separated)."""
    from agir.readers import read_motion
    from agir.tokenizer.features import motion_features

    try:
        tokenizer = _load(model)
        motion = read_motion(path, fmt, joints, "auto", fps)
        try:
            features = motion_features(motion, tokenizer.config.fps)
        except ValueError as exc:
            raise MotionFileError(path, str(exc), "all 22 joints (smpl22/smpl24, BVH, C3D with feet)") from None
        ids = tokenizer.encode(features)
    except AgirError as exc:
        fail(exc)
        return
    if as_json:
        sys.stdout.write(dumps({"ids": ids.tolist(), "fps": tokenizer.config.fps, "frames": len(features)}) + "\n")
    else:
        sys.stdout.write(" ".join(map(str, ids.tolist())) + "\n")


def parse_ids(text: str) -> tuple[list[int], int | None]:
    """Token ids from text: a JSON list, the JSON of `encode --json`, or integers separated by spaces or
    commas. Returns (ids, frames or None)."""
    text = text.strip()
    if text.startswith("{"):
        data = json.loads(text)
        return [int(i) for i in data["ids"]], data.get("frames")
    if text.startswith("["):
        return [int(i) for i in json.loads(text)], None
    parts = [p for p in re.split(r"[\s,]+", text) if p]
    if not parts or not all(re.fullmatch(r"-?\d+", p) for p in parts):
        raise ValueError("expected integers separated by spaces or commas, a JSON list, or `encode --json` output")
    return [int(p) for p in parts], None


@tokenizer_app.command("decode")
def decode(
    ids: str = typer.Argument(..., help="Token ids: a file (from encode) or the ids themselves, e.g. '12 7 7 301'."),
    model: Path = typer.Option(..., "--model", help="Tokenizer folder."),
    out: Path = typer.Option(..., "--out", help="Walk to write (.npz: joints T x 22 x 3 metres, fps)."),
) -> None:
    """Write a walk (joints) decoded from motion token ids."""
    from agir.readers.labelled import save_walk_npz
    from agir.tokenizer.features import features_to_joints

    source = Path(ids)
    try:
        text = source.read_text() if source.is_file() else ids
        try:
            values, frames = parse_ids(text)
        except (ValueError, KeyError, json.JSONDecodeError) as exc:
            raise AgirError(f"{source if source.is_file() else 'ids'}: cannot read token ids ({exc})") from None
        tokenizer = _load(model)
        joints = features_to_joints(tokenizer.decode(values, frames))
        joints[..., 1] -= joints[..., 1].min()  # the decoded feet may float a little: floor at 0
        save_walk_npz(out, joints, tokenizer.config.fps, {"tokens": values, "tokenizer": str(model)})
    except AgirError as exc:
        fail(exc)
        return
    console.print(f"wrote {out}: {len(joints)} frames at {tokenizer.config.fps:g} fps from {len(values)} tokens")


@tokenizer_app.command("evaluate")
def evaluate(
    model: Path = typer.Option(..., "--model", help="Tokenizer folder."),
    data: Path = typer.Option(..., "--data", help="Labelled-walk folder; walks of the model's training subjects are left out."),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Processes for reading walks."),
) -> None:
    """Reconstruction MPJPE, codebook usage, perplexity and gait-parameter drift on held-out walks."""
    from agir.tokenizer.data import load_walk_features
    from agir.tokenizer.evaluate import evaluate_tokenizer

    try:
        tokenizer = _load(model)
        walks, skipped = load_walk_features(data, tokenizer.config.fps, workers)
        seen = set(tokenizer.info.get("training_subjects", []))
        held_out = [w for w in walks if w.subject not in seen]
        if not held_out:
            raise AgirError(f"{data}: every walk belongs to a subject the tokenizer was trained on; nothing is held out")
        metrics = evaluate_tokenizer(tokenizer, held_out)
        metrics["left_out_training_subject_walks"] = len(walks) - len(held_out)
        metrics["skipped_walks"] = len(skipped)
    except AgirError as exc:
        fail(exc)
        return
    if as_json:
        sys.stdout.write(dumps(metrics) + "\n")
        return
    drift = metrics["param_drift"]
    console.print(f"{metrics['walks']} held-out walks: MPJPE {metrics['mpjpe_mm']:.1f} mm, codebook usage "
                  f"{metrics['codebook_usage']:.0%}, perplexity {metrics['perplexity']:.0f}; drift: cadence "
                  f"{drift['cadence_pct']:.2f} %, stride {drift['stride_length_pct']:.2f} %, arm swing "
                  f"{drift['arm_swing_pct']:.2f} %, trunk {drift['trunk_flexion_deg']:.2f} deg")  # fmt: skip
