"""Training the tokenizer (``agir tokenizer train``), written the accelerate way so the same code runs on
one CPU, one GPU, or under ``accelerate launch`` on several processes or machines (DDP).

Each step draws random windows from the training subjects' walks with a generator seeded by (seed,
process, step), so a run is reproducible and a resumed run continues exactly where it stopped. Every
``validate_every`` steps the held-out subjects are reconstructed (MPJPE) and the best-validating weights
are kept as the final model (early stopping; the best weights are part of the checkpoint); every ``checkpoint_every`` steps
the full state goes to ``OUT/checkpoint``, and starting again with the same ``--out`` resumes from it.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch.nn import functional as F

from agir import __version__
from agir.errors import AgirError
from agir.tokenizer.config import TokenizerConfig
from agir.tokenizer.data import WindowSampler, feature_statistics, load_walk_features, split_subjects
from agir.tokenizer.evaluate import evaluate_tokenizer
from agir.tokenizer.features import RIC, mirror_features
from agir.tokenizer.model import MotionTokenizer

CHECKPOINT = "checkpoint"
MAX_VALIDATION_WALKS = 24


def reconstruction_loss(model: torch.nn.Module, batch: torch.Tensor, config: TokenizerConfig,
                        metric: torch.Tensor) -> tuple[torch.Tensor, dict]:  # fmt: skip
    """Smooth-L1 reconstruction (normalised features) + ``position_weight`` x smooth-L1 of the root-relative
    joint positions in metric proportion (``metric``: each position dimension's standard deviation over the
    mean one, so a millimetre at the wrist counts as much as a millimetre at the hip: what MPJPE measures) +
    velocity (frame-to-frame change of the normalised positions) + commitment."""
    recon, ids, commit = model(batch)
    rec = F.smooth_l1_loss(recon, batch)
    pos = F.smooth_l1_loss(recon[..., RIC] * metric, batch[..., RIC] * metric)
    vel = F.smooth_l1_loss(torch.diff(recon[..., RIC], dim=1), torch.diff(batch[..., RIC], dim=1))
    loss = rec + config.position_weight * pos + config.velocity_weight * vel + commit
    return loss, {"loss": loss.item(), "reconstruction": rec.item(), "position": pos.item(), "velocity": vel.item(),
                  "commitment": commit.item(), "codes_in_batch": int(torch.unique(ids).numel())}  # fmt: skip


def _lr_lambda(config: TokenizerConfig) -> Callable[[int], float]:
    def factor(step: int) -> float:
        if step < config.warmup_steps:
            return (step + 1) / config.warmup_steps
        progress = (step - config.warmup_steps) / max(1, config.steps - config.warmup_steps)
        return 0.1 + 0.45 * (1 + math.cos(math.pi * min(progress, 1.0)))

    return factor


def model_card(config: TokenizerConfig, metrics: dict, data_dir: str, train_subjects: list[str], held_out: list[str],
               walks: int, seconds: float, command: str | None) -> str:  # fmt: skip
    drift = metrics.get("param_drift", {})
    lines = [
        "# AGIR motion tokenizer (VQ-VAE)", "",
        f"T2M-GPT-style VQ-VAE turning a walk into motion tokens: {config.frames_per_token} frames at {config.fps:g} fps "
        f"per step, {config.num_quantizers} quantiser level(s) (tokens per step) of {config.codebook_size} x "
        f"{config.code_dim} codes, width {config.width}. Trained by agir "
        f"{__version__}.", "",
        "## Data", "",
        f"`{data_dir}`: {walks} walks of {len(train_subjects)} training subjects; {len(held_out)} subjects held out "
        "for validation (listed in config.json as `validation_subjects`).", "",
        "## Training", "",
        f"{config.steps} steps of {config.batch_size} windows of {config.window} frames, AdamW lr {config.learning_rate:g}, "
        f"seed {config.seed}; {seconds / 60:.1f} min; the weights of step {metrics.get('kept_step')} validated best "
        "and are the ones saved." + (f" Command: `{command}`" if command else ""), "",
        "## Held-out metrics", "",
        "| metric | value |", "| --- | --- |",
        f"| walks | {metrics['walks']} |",
        f"| MPJPE after root alignment | {metrics['mpjpe_mm']:.1f} mm |",
        f"| codebook usage | {metrics['codebook_usage']:.1%} |",
        f"| perplexity | {metrics['perplexity']:.1f} |",
    ]  # fmt: skip
    for key, unit in (("cadence_pct", "%"), ("stride_length_pct", "%"), ("arm_swing_pct", "%"), ("trunk_flexion_deg", "deg")):
        if drift.get(key) is not None:
            lines.append(f"| mean drift of {key.rsplit('_', 1)[0].replace('_', ' ')} on the reconstruction | {drift[key]:.2f} {unit} |")
    if drift:
        lines.append(f"| walks with every drift within tolerance | {drift['within_tolerance']:.1%} |")
    lines += ["", "Load with `agir.tokenizer.MotionTokenizer.from_pretrained(folder)`; features are described in "
              "`agir/tokenizer/features.py` and normalised with `feature_stats.json`."]  # fmt: skip
    return "\n".join(lines) + "\n"


def train_tokenizer(data_dir: str | Path, out_dir: str | Path, config: TokenizerConfig, restart: bool = False,
                    progress: Callable[[int, int, dict], None] | None = None, command: str | None = None,
                    workers: int | None = None) -> dict:  # fmt: skip
    """Train on the walks in ``data_dir`` (a labelled-walk folder); write a ``from_pretrained`` folder to
    ``out_dir``. Returns the held-out metrics. ``progress(step, total, logs)`` is called on the main process."""
    from accelerate import Accelerator
    from accelerate.utils import set_seed

    accelerator = Accelerator(cpu=not torch.cuda.is_available())
    out = Path(out_dir)
    checkpoint = out / CHECKPOINT
    state_file = checkpoint / "trainer_state.json"
    start_step = 0
    if state_file.exists() and not restart:
        saved = json.loads(state_file.read_text())
        if saved["config"] != config.to_dict():
            raise AgirError(f"{out}: holds a checkpoint of a run with other settings; use --restart or a new --out")
        start_step = saved["step"]
    elif out.exists() and any(p.name != CHECKPOINT for p in out.iterdir()) and not restart:
        raise AgirError(f"{out}: already holds files and no checkpoint to resume; use a new --out or --restart")

    walks, skipped = load_walk_features(data_dir, config.fps, workers if accelerator.is_main_process else 1)
    train_subjects, held_out = split_subjects([w.subject for w in walks], config.validation_fraction, config.seed)
    train = [w for w in walks if w.subject in set(train_subjects)]
    valid = [w for w in walks if w.subject in set(held_out)]
    sampler = WindowSampler(train, config.window)

    set_seed(config.seed)
    model = MotionTokenizer(config)
    mean, std = feature_statistics(train)
    model.mean.copy_(torch.from_numpy(mean))
    model.std.copy_(torch.from_numpy(std))
    # the position loss's weights, fixed by the training data
    metric = (model.std[RIC] / model.std[RIC].mean()).to(accelerator.device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, betas=(0.9, 0.99),
                                  weight_decay=config.weight_decay)  # fmt: skip
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _lr_lambda(config))
    model, optimizer, scheduler = accelerator.prepare(model, optimizer, scheduler)
    if start_step:
        accelerator.load_state(str(checkpoint))
    log_path = out / "training_log.jsonl"
    if accelerator.is_main_process:
        out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    logs: dict = {}
    best: tuple[float, int, dict | None] = (float("inf"), 0, None)
    if start_step and (checkpoint / "best.safetensors").exists():
        saved = json.loads(state_file.read_text())
        best = (saved["best_mpjpe_mm"], saved["best_step"], load_file(str(checkpoint / "best.safetensors")))
    for step in range(start_step, config.steps):
        model.train()
        rng = np.random.default_rng([config.seed, accelerator.process_index, step])
        windows = sampler.sample(config.batch_size, rng)
        if config.mirror_probability > 0:
            flip = rng.random(len(windows)) < config.mirror_probability
            windows[flip] = mirror_features(windows[flip])
        batch = torch.from_numpy(windows).to(accelerator.device)
        batch = accelerator.unwrap_model(model).normalise(batch)
        loss, logs = reconstruction_loss(model, batch, config, metric)
        accelerator.backward(loss)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        done = step + 1
        if done % config.validate_every == 0 or done == config.steps:
            if accelerator.is_main_process and valid:
                unwrapped = accelerator.unwrap_model(model).eval()
                logs["valid_mpjpe_mm"] = evaluate_tokenizer(unwrapped, valid[:MAX_VALIDATION_WALKS], with_drift=False)["mpjpe_mm"]
                if logs["valid_mpjpe_mm"] < best[0]:  # keep the weights that validate best (early stopping)
                    best = (logs["valid_mpjpe_mm"], done, {k: v.detach().clone() for k, v in unwrapped.state_dict().items()})
            accelerator.wait_for_everyone()
        if accelerator.is_main_process and (done % 50 == 0 or "valid_mpjpe_mm" in logs):
            with log_path.open("a") as fh:
                fh.write(json.dumps({"step": done, "lr": scheduler.get_last_lr()[0], "processes": accelerator.num_processes,
                                     **logs}) + "\n")  # fmt: skip
        if done % config.checkpoint_every == 0 and done < config.steps:
            accelerator.save_state(str(checkpoint))
            if accelerator.is_main_process:
                if best[2] is not None:
                    save_file({k: v.contiguous() for k, v in best[2].items()}, str(checkpoint / "best.safetensors"))
                state_file.write_text(json.dumps({"step": done, "config": config.to_dict(), "best_mpjpe_mm": best[0],
                                                  "best_step": best[1]}))  # fmt: skip
        if progress and accelerator.is_main_process:
            progress(done, config.steps, logs)
    accelerator.wait_for_everyone()
    metrics: dict = {}
    if accelerator.is_main_process:
        final = accelerator.unwrap_model(model).eval()
        if best[2] is not None:
            final.load_state_dict(best[2])
        metrics = evaluate_tokenizer(final, valid) if valid else {}
        metrics["kept_step"] = best[1] or config.steps
        metrics["skipped_walks"] = len(skipped)
        card = model_card(config, metrics, str(data_dir), train_subjects, held_out, len(train),
                          time.perf_counter() - started, command)  # fmt: skip
        final.save_pretrained(out, card, {"training_subjects": train_subjects, "validation_subjects": held_out,
                                          "metrics": metrics})  # fmt: skip
    accelerator.wait_for_everyone()
    return metrics
