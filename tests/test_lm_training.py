"""LM fine-tuning mechanics on a tiny random Llama: the motion vocabulary, answer-only loss masks,
resuming after an interruption, and the same command under `accelerate launch` with 2 processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from agir.corpus.build import build_corpus
from agir.lm.config import LMConfig
from agir.lm.examples import IGNORE, AnswerOnlyCollator, tokenize_examples, Example
from agir.lm.prompts import motion_text, parse_motion_text, select_motion_ids
from agir.lm.train import train_lm
from agir.synth.dataset import SynthConfig, write_synthetic_dataset
from agir.tokenizer.config import TokenizerConfig
from agir.tokenizer.train import train_tokenizer

TINY_LM = dict(base_model="tiny-llama", max_motion_steps=8, batch_size=2, max_steps=4, save_steps=2, learning_rate=5e-3)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("lmtrain")
    write_synthetic_dataset(root / "walks", SynthConfig(subjects=5, walks_per_subject=1, seed=9, fps=20.0), workers=1)
    build_corpus(root / "walks", root / "corpus", workers=1)
    train_tokenizer(root / "walks", root / "tok", TokenizerConfig(width=16, code_dim=8, codebook_size=16, depth=1, batch_size=2,
                    window=16, steps=2, warmup_steps=1, validate_every=2, checkpoint_every=2), workers=1)  # fmt: skip
    return {"root": root, "corpus": root / "corpus", "tok": root / "tok"}


def test_motion_ids_keep_the_coarse_levels_around_the_middle() -> None:
    import numpy as np

    ids = np.arange(20 * 3) % 3 * 16 + np.repeat(np.arange(20), 3) % 16  # 20 steps x 3 levels, level offsets 16q
    picked = select_motion_ids(ids, levels=2, codebook_size=16, num_quantizers=3, max_steps=4)
    assert picked.tolist() == [8, 24, 9, 25, 10, 26, 11, 27]  # steps 8..11, levels 0 and 1
    assert parse_motion_text("x" + motion_text(picked) + "y").tolist() == picked.tolist()


def test_only_the_answer_carries_loss() -> None:
    from agir.lm.vocab import load_base_with_motion

    model, tokenizer, new_ids = load_base_with_motion("tiny-llama", 16)
    assert len(new_ids) == 18 and tokenizer.convert_ids_to_tokens(new_ids[2]) == "<motion_0>"
    emb = model.get_input_embeddings().weight
    assert torch.allclose(emb[new_ids[0]], emb[: new_ids[0]].mean(0), atol=1e-6)  # new rows start at the mean
    rows, dropped = tokenize_examples([Example("w", "s", "assess", "PROMPT <motion_3>", "Score: 2")], tokenizer, 64)
    assert dropped == 0
    row = rows[0]
    answer = [t for t, label in zip(row["input_ids"], row["labels"]) if label != IGNORE]
    assert tokenizer.decode(answer) == "Score: 2" + tokenizer.eos_token
    batch = AnswerOnlyCollator(tokenizer.pad_token_id)([row, {**row, "input_ids": row["input_ids"][:3], "labels": row["labels"][:3]}])
    assert batch["attention_mask"][1].tolist() == [1, 1, 1] + [0] * (len(row["input_ids"]) - 3)
    assert (batch["labels"][1][3:] == IGNORE).all()


class _Interrupt(Exception):
    pass


def test_an_interrupted_run_resumes_to_the_same_weights(small: dict[str, Path]) -> None:
    from transformers import TrainerCallback

    class StopAtStep3(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):  # noqa: ANN001, ANN201
            if state.global_step == 3:
                raise _Interrupt()

    root = small["root"]
    train_lm(1, small["corpus"], root / "whole", LMConfig(**TINY_LM), tokenizer_dir=small["tok"], log=lambda m: None)
    with pytest.raises(_Interrupt):
        train_lm(1, small["corpus"], root / "cut", LMConfig(**TINY_LM), tokenizer_dir=small["tok"], callbacks=[StopAtStep3()])
    assert (root / "cut" / "checkpoints" / "checkpoint-2").is_dir() and not (root / "cut" / "agir_lm.json").exists()
    summary = train_lm(1, small["corpus"], root / "cut", LMConfig(**TINY_LM), tokenizer_dir=small["tok"])
    assert summary["steps"] == 4
    whole = load_file(str(root / "whole" / "adapter_model.safetensors"))
    resumed = load_file(str(root / "cut" / "adapter_model.safetensors"))
    assert whole.keys() == resumed.keys()
    for key in whole:
        assert torch.allclose(whole[key], resumed[key], atol=1e-6), key


def test_training_runs_under_accelerate_launch_with_2_processes(small: dict[str, Path]) -> None:
    root = small["root"]
    (root / "lm.json").write_text(json.dumps({**TINY_LM, "max_steps": 2}))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
           "--mixed_precision", "no", "--dynamo_backend", "no", "-m", "agir.cli", "train", "--stage", "1", "--corpus",
           str(small["corpus"]), "--tokenizer", str(small["tok"]), "--out", str(root / "ddp"), "--config", str(root / "lm.json")]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    info = json.loads((root / "ddp" / "agir_lm.json").read_text())
    assert info["history"][-1]["processes"] == 2
