"""``agir train --stage 1|2``: LoRA fine-tuning of the motion-aware LM with Hugging Face ``Trainer``.

Stage 1 learns motion <-> description from a base model; stage 2 learns motion -> rationale -> score (or
the direct score) starting from a stage-1 folder. Loss on the answer only, length-grouped batches, bf16
autocast where asked, checkpoints in ``OUT/checkpoints`` that a rerun of the same command resumes. The same
command runs under ``accelerate launch`` (DDP) on several processes.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from agir import __version__
from agir.errors import AgirError
from agir.lm.card import model_card
from agir.lm.config import LMConfig
from agir.lm.drafting import answer_token_ids, save_drafts
from agir.lm.examples import AnswerOnlyCollator, build_examples, fold_subjects, tokenize_examples
from agir.lm.model import LM_CONFIG, MOTION_TOKENIZER, read_lm_folder
from agir.readers.labelled import atomic_write_text
from agir.tokenizer.model import MotionTokenizer

CHECKPOINTS = "checkpoints"


def _last_checkpoint(folder: Path) -> str | None:
    found = sorted(folder.glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[-1]) if p.name.split("-")[-1].isdigit() else -1)
    return str(found[-1]) if found else None


def _prepare_out(out: Path, restart: bool) -> Path:
    checkpoints = out / CHECKPOINTS
    if (out / LM_CONFIG).exists() and not restart:
        raise AgirError(f"{out}: already holds a trained model; use a new --out or --restart")
    if out.exists() and any(p.name != CHECKPOINTS for p in out.iterdir()) and not restart:
        raise AgirError(f"{out}: already holds files and no checkpoint to resume; use a new --out or --restart")
    if restart:
        shutil.rmtree(checkpoints, ignore_errors=True)
    return checkpoints


def train_lm(stage: int, corpus_dir: str | Path, out_dir: str | Path, config: LMConfig, tokenizer_dir: str | Path | None = None,
             init_dir: str | Path | None = None, split: str = "kfold5", fold: int = 0, restart: bool = False,
             command: str | None = None, log: Callable[[str], None] = print, callbacks: list | None = None) -> dict:  # fmt: skip
    """Fine-tune and write a model folder to ``out_dir``; returns a summary (examples, steps, seconds,
    tokens per second). Stage 1 needs ``tokenizer_dir`` (the VQ-VAE); stage 2 needs ``init_dir`` (stage 1)."""
    import torch
    from datasets import Dataset
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import Trainer, TrainingArguments, set_seed

    corpus_dir, out = Path(corpus_dir), Path(out_dir)
    if stage not in (1, 2):
        raise AgirError(f"--stage must be 1 or 2, got {stage}")
    init = read_lm_folder(init_dir) if init_dir else None
    if stage == 2 and init is None:
        raise AgirError("stage 2 starts from a stage-1 model: pass --init STAGE1_FOLDER")
    if init is not None:
        for key in ("base_model", "motion_levels", "max_motion_steps", "include_parameters"):
            if getattr(config, key) != init["config"][key]:
                log(f"note: {key} taken from {init_dir}: {init['config'][key]}")
                setattr(config, key, init["config"][key])
        if (init["split"], init["fold"]) != (split, fold):
            raise AgirError(f"{init_dir} was trained on {init['split']} fold {init['fold']}, not {split} fold {fold}: "
                            "both stages must hold out the same subjects")  # fmt: skip
        tokenizer_dir = Path(init_dir) / MOTION_TOKENIZER
    if tokenizer_dir is None:
        raise AgirError("stage 1 needs the motion tokenizer: pass --tokenizer FOLDER")
    checkpoints = _prepare_out(out, restart)
    motion_tokenizer = MotionTokenizer.from_pretrained(tokenizer_dir)
    train_subjects, test_subjects = fold_subjects(corpus_dir, split, fold)
    set_seed(config.seed)
    from agir.lm.vocab import load_base_with_motion

    codes = config.motion_levels * motion_tokenizer.config.codebook_size
    if config.motion_levels > motion_tokenizer.config.num_quantizers:
        raise AgirError(f"motion_levels {config.motion_levels} > the tokenizer's {motion_tokenizer.config.num_quantizers} levels")
    model, tokenizer, new_ids = load_base_with_motion(config.base_model, codes)
    examples = build_examples(corpus_dir, stage, set(train_subjects), motion_tokenizer, tokenizer, config)
    rows, dropped = tokenize_examples(examples, tokenizer, config.max_length)
    if not rows:
        raise AgirError(f"no training example fits max_length {config.max_length} tokens")
    if init is not None:
        model = PeftModel.from_pretrained(model, str(init_dir), is_trainable=True)
    else:
        lora = LoraConfig(r=config.lora_r, lora_alpha=config.lora_alpha, lora_dropout=0.0, target_modules="all-linear",
                          trainable_token_indices=new_ids, task_type="CAUSAL_LM")  # fmt: skip
        model = get_peft_model(model, lora)
    use_bf16 = config.bf16 and (not torch.cuda.is_available() or torch.cuda.is_bf16_supported())
    args = TrainingArguments(
        output_dir=str(checkpoints), per_device_train_batch_size=config.batch_size,
        gradient_accumulation_steps=config.gradient_accumulation, learning_rate=config.learning_rate,
        num_train_epochs=config.epochs, max_steps=config.max_steps, warmup_steps=config.warmup_ratio,
        weight_decay=config.weight_decay, lr_scheduler_type="cosine", bf16=use_bf16,
        use_cpu=not torch.cuda.is_available(), train_sampling_strategy="group_by_length", length_column_name="length",
        save_steps=config.save_steps, save_total_limit=2, logging_steps=5, report_to="none", seed=config.seed,
        data_seed=config.seed, remove_unused_columns=False, dataloader_num_workers=0, ddp_find_unused_parameters=False,
    )  # fmt: skip
    trainer = Trainer(model=model, args=args, train_dataset=Dataset.from_list(rows),
                      data_collator=AnswerOnlyCollator(tokenizer.pad_token_id), callbacks=callbacks)  # fmt: skip
    started = time.perf_counter()
    result = trainer.train(resume_from_checkpoint=_last_checkpoint(checkpoints))
    seconds = time.perf_counter() - started
    summary = {
        "stage": stage, "examples": len(rows), "dropped_too_long": dropped, "steps": result.global_step,
        "train_loss": round(float(result.training_loss), 4), "seconds": round(seconds, 1),
        "tokens_per_second": round(result.metrics.get("train_samples_per_second", 0) * sum(r["length"] for r in rows) / len(rows), 1),
        "processes": trainer.args.world_size, "bf16": use_bf16,
    }  # fmt: skip
    if trainer.is_world_process_zero():
        _write_model(out, trainer.model, tokenizer, motion_tokenizer, tokenizer_dir, config, stage, split, fold,
                     train_subjects, test_subjects, summary, str(corpus_dir), command,
                     init["history"] if init else [], answer_token_ids(rows))  # fmt: skip
        shutil.rmtree(checkpoints, ignore_errors=True)
    trainer.accelerator.wait_for_everyone()
    return summary


def corpus_recipe(corpus_dir: Path) -> dict:
    """How the corpus was made: its settings and, for synthetic walks, the generator's settings, so the same
    corpus (and so the held-out walks) can be rebuilt."""
    recipe: dict = {"corpus": None, "synth": None}
    if (corpus_dir / "corpus.json").is_file():
        made = json.loads((corpus_dir / "corpus.json").read_text())
        recipe["corpus"] = made.get("config")
        synth = Path(made.get("data_dir", "")) / "synth_config.json"
        if synth.is_file():
            recipe["synth"] = json.loads(synth.read_text())
    return recipe


def _write_model(out: Path, model, tokenizer, motion_tokenizer: MotionTokenizer, tokenizer_dir: str | Path,  # noqa: ANN001
                 config: LMConfig, stage: int, split: str, fold: int, train_subjects: list[str], test_subjects: list[str],
                 summary: dict, corpus: str, command: str | None, history: list[dict], answers: list[list[int]]) -> None:  # fmt: skip
    """Adapter (LoRA + new motion rows) + tokenizer + motion tokenizer copy + the training answers (the
    drafter of speculative decoding) + card; agir_lm.json last."""
    model.save_pretrained(str(out), save_embedding_layers=False)
    tokenizer.save_pretrained(str(out))
    shutil.rmtree(out / MOTION_TOKENIZER, ignore_errors=True)
    shutil.copytree(Path(tokenizer_dir), out / MOTION_TOKENIZER, ignore=shutil.ignore_patterns("checkpoint", "training_log.jsonl"))
    history = [*history, {"stage": stage, "corpus": corpus, "command": command, **summary}]
    info = {"model_type": "agir-lm", "agir_version": __version__, "stage": stage, "config": config.to_dict(),
            "split": split, "fold": fold, "training_subjects": train_subjects, "held_out_subjects": test_subjects,
            "corpus_recipe": corpus_recipe(Path(corpus)), "history": history, "evaluation": None}  # fmt: skip
    save_drafts(out, answers)
    atomic_write_text(out / "README.md", model_card(info))
    atomic_write_text(out / LM_CONFIG, json.dumps(info, indent=2) + "\n")
