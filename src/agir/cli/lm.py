"""``agir train``: fine-tune the reasoning LM (stage 1 or 2)."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Optional

import typer

from agir.cli.common import console, fail
from agir.errors import AgirError


def train(
    stage: int = typer.Option(..., "--stage", help="1: motion <-> description; 2: motion -> rationale -> score."),
    corpus: Path = typer.Option(..., "--corpus", help="Corpus folder written by `agir corpus`."),
    out: Path = typer.Option(..., "--out", help="Model folder; checkpoints in it are resumed by the same command."),
    tokenizer: Optional[Path] = typer.Option(None, "--tokenizer", help="Stage 1: VQ-VAE folder (agir tokenizer train)."),
    init: Optional[Path] = typer.Option(None, "--init", help="Stage 2: the stage-1 model folder to start from."),
    base_model: Optional[str] = typer.Option(None, "--base-model", help="smollm2-135m-instruct (default), tiny-llama, or any HF causal-LM folder or id."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="JSON settings (see agir.lm.config.LMConfig)."),
    split: str = typer.Option("kfold5", "--split", help="Split in the corpus's splits.json whose fold is held out."),
    fold: int = typer.Option(0, "--fold", min=0, help="Fold held out (never trained on)."),
    answer: Optional[str] = typer.Option(None, "--answer", help="Stage 2: rationale (default) or direct (the ablation)."),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", min=1, help="Override the number of optimiser steps."),
    restart: bool = typer.Option(False, "--restart", help="Ignore checkpoints in --out and start again."),
) -> None:
    """Fine-tune the motion-aware LM with LoRA (HF Trainer); runs unchanged under `accelerate launch`."""
    from agir.lm.config import LMConfig
    from agir.lm.train import train_lm

    try:
        config = LMConfig.from_file(config_file) if config_file else LMConfig()
        if base_model:
            config.base_model = base_model
        if answer:
            config.answer = answer
        if max_steps:
            config.max_steps = max_steps
        config.validate("--config" if config_file else "settings")
        options = {"--stage": stage, "--corpus": corpus, "--tokenizer": tokenizer, "--init": init, "--base-model": base_model,
                   "--config": config_file, "--split": split, "--fold": fold, "--answer": answer, "--max-steps": max_steps,
                   "--out": out}  # fmt: skip
        command = "agir train " + " ".join(f"{k} {shlex.quote(str(v))}" for k, v in options.items() if v is not None)
        summary = train_lm(stage, corpus, out, config, tokenizer, init, split, fold, restart, command,
                           log=lambda m: console.print(f"[dim]{m}[/]"))  # fmt: skip
    except AgirError as exc:
        fail(exc)
        return
    console.print(f"stage {stage}: {summary['examples']} examples, {summary['steps']} steps in {summary['seconds']:.0f} s "
                  f"({summary['tokens_per_second']:.0f} tokens/s, {summary['processes']} process(es)); wrote {out}")  # fmt: skip
