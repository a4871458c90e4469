"""Training throughput of `agir train` (length-grouped batches padded to their own longest example, bf16
autocast on CPU) against a plain Trainer set-up (random batches padded to the longest sequence of the
data set, fp32). Counted in real (non-padding) tokens per second on stage-2 examples of a corpus.

    .venv/bin/python benchmarks/bench_lm_train.py --corpus data/ref_corpus --tokenizer models/tokenizer [--steps 6]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time

from agir.lm.config import LMConfig
from agir.lm.examples import AnswerOnlyCollator, build_examples, fold_subjects, tokenize_examples
from agir.tokenizer.model import MotionTokenizer


class PadToLongest(AnswerOnlyCollator):
    """The plain set-up: every batch padded to the longest example of the whole data set."""

    def __init__(self, pad_id: int, longest: int) -> None:
        super().__init__(pad_id)
        self.longest = longest

    def __call__(self, batch: list[dict]) -> dict:
        padded = [{**b, "input_ids": b["input_ids"] + [self.pad_id] * (self.longest - len(b["input_ids"])),
                   "labels": b["labels"] + [-100] * (self.longest - len(b["labels"]))} for b in batch]  # fmt: skip
        out = super().__call__(padded)
        for i, b in enumerate(batch):
            out["attention_mask"][i, len(b["input_ids"]):] = 0
        return out


def run(rows: list[dict], model, collator, bf16: bool, grouped: bool, steps: int, batch: int) -> float:  # noqa: ANN001
    import torch
    from datasets import Dataset
    from transformers import Trainer, TrainingArguments

    with tempfile.TemporaryDirectory() as tmp:
        args = TrainingArguments(output_dir=tmp, per_device_train_batch_size=batch, max_steps=steps, learning_rate=1e-4,
                                 bf16=bf16, use_cpu=not torch.cuda.is_available(), report_to="none", save_strategy="no",
                                 train_sampling_strategy="group_by_length" if grouped else "random", length_column_name="length",
                                 remove_unused_columns=False, logging_steps=10**6, disable_tqdm=True, seed=0)  # fmt: skip
        trainer = Trainer(model=model, args=args, train_dataset=Dataset.from_list(rows), data_collator=collator)
        real_tokens = 0
        original = collator.__call__

        def counting(batch_rows: list[dict]) -> dict:
            nonlocal real_tokens
            real_tokens += sum(len(b["input_ids"]) for b in batch_rows)
            return original(batch_rows)

        trainer.data_collator = counting
        start = time.perf_counter()
        trainer.train()
        return real_tokens / (time.perf_counter() - start)


def main() -> None:
    from peft import LoraConfig, get_peft_model

    from agir.lm.vocab import load_base_with_motion

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--base-model", default="smollm2-135m-instruct")
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--batch", type=int, default=8)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}")
    config = LMConfig(base_model=args.base_model)
    motion_tokenizer = MotionTokenizer.from_pretrained(args.tokenizer)
    train_subjects, _ = fold_subjects(__import__("pathlib").Path(args.corpus), "kfold5", 0)
    results = {}
    for name, grouped, bf16, plain in (("agir train (length-grouped, own padding, bf16)", True, True, False),
                                       ("plain Trainer (pad to longest, fp32)", False, False, True)):  # fmt: skip
        model, tokenizer, new_ids = load_base_with_motion(config.base_model, motion_tokenizer.config.codebook_size)
        examples = build_examples(__import__("pathlib").Path(args.corpus), 2, set(train_subjects[:60]), motion_tokenizer, tokenizer, config)
        rows, _ = tokenize_examples(examples, tokenizer, config.max_length)
        model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules="all-linear",
                                                 trainable_token_indices=new_ids, task_type="CAUSAL_LM"))  # fmt: skip
        longest = max(r["length"] for r in rows)
        collator = PadToLongest(tokenizer.pad_token_id, longest) if plain else AnswerOnlyCollator(tokenizer.pad_token_id)
        results[name] = run(rows, model, collator, bf16, grouped, args.steps, args.batch)
        print(f"{name}: {results[name]:.0f} real tokens/s ({len(rows)} examples, {args.steps} steps of {args.batch})")
    first, second = results.values()
    print(f"speed-up: {first / second:.2f}x")


if __name__ == "__main__":
    main()
