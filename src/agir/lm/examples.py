"""Training examples from a corpus: each walk's motion tokens (through the VQ-VAE) paired with its stage-1
descriptions (both directions) or its stage-2 rationale / direct score; prompts masked out of the loss."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agir.corpus.texts import describe, rationale
from agir.errors import AgirError
from agir.lm.config import LMConfig
from agir.lm.prompts import motion_text, parameter_line, render_prompt, select_motion_ids, user_message
from agir.tokenizer.features import motion_features
from agir.tokenizer.model import MotionTokenizer

IGNORE = -100


@dataclass
class Example:
    """One prompt/answer pair (chat-formatted prompt; the answer ends where the assistant's turn ends)."""

    walk_id: str
    subject: str
    task: str
    prompt: str
    answer: str


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise AgirError(f"{path}: not found; expected a corpus folder written by `agir corpus`")
    with path.open() as fh:
        return [json.loads(line) for line in fh if line.strip()]


def fold_subjects(corpus_dir: Path, split: str, fold: int) -> tuple[list[str], list[str]]:
    """(train, test) subjects of fold ``fold`` of split ``split`` (e.g. ``kfold5``) in ``splits.json``."""
    splits = json.loads((corpus_dir / "splits.json").read_text()) if (corpus_dir / "splits.json").is_file() else None
    if splits is None:
        raise AgirError(f"{corpus_dir}: no splits.json; expected a corpus folder written by `agir corpus`")
    if split not in splits:
        raise AgirError(f"{corpus_dir}: split '{split}' not in splits.json (has {', '.join(splits)})")
    folds = splits[split]["folds"]
    if not 0 <= fold < len(folds):
        raise AgirError(f"{corpus_dir}: split '{split}' has folds 0..{len(folds) - 1}, got {fold}")
    return folds[fold]["train_subjects"], folds[fold]["test_subjects"]


def walk_motion_ids(files: list[str], motion_tokenizer: MotionTokenizer, config: LMConfig, batch: int = 32,
                    where: str | list[str] = "middle") -> list[np.ndarray]:  # fmt: skip
    """Motion ids the LM reads for each walk file (selected levels, cropped to ``max_motion_steps`` around
    the middle or from the ``start``; one choice for all files or one per file)."""
    from agir.readers import read_motion

    c = motion_tokenizer.config
    wheres = [where] * len(files) if isinstance(where, str) else where
    features = [motion_features(read_motion(f), c.fps) for f in files]
    out: list[np.ndarray] = []
    for i in range(0, len(features), batch):
        for ids in motion_tokenizer.encode_batch(features[i : i + batch]):
            out.append(select_motion_ids(ids, config.motion_levels, c.codebook_size, c.num_quantizers,
                                         config.max_motion_steps, wheres[len(out)]))  # fmt: skip
    return out


TURN_MEASURES = ("turn_steps", "turn_duration_s", "turn_angle_deg")


def turnless(walk_id: str, config: LMConfig) -> bool:
    """Whether this walk's examples are shown as a straight walk without a turn (augmentation: real
    recordings often hold no turn, the synthetic protocol always does)."""
    return random.Random(f"turnless:{config.seed}:{walk_id}").random() < config.turnless_fraction


def without_turn(flat: dict) -> dict:
    return {**flat, **dict.fromkeys(TURN_MEASURES), "n_turns": 0.0}


def prompt_for(tokenizer, task: str, motion_ids: np.ndarray, flat: dict | None, config: LMConfig) -> str:  # noqa: ANN001
    parameters = parameter_line(flat) if (config.include_parameters and flat is not None) else None
    return render_prompt(tokenizer, user_message(task, motion_text(motion_ids), parameters))


def build_examples(corpus_dir: Path, stage: int, subjects: set[str], motion_tokenizer: MotionTokenizer, tokenizer,  # noqa: ANN001
                   config: LMConfig) -> list[Example]:  # fmt: skip
    """Stage 1: describe (motion -> text) and generate (text -> motion) for ``paraphrases_per_walk``
    descriptions per walk; stage 2: assess (-> rationale ... Score: k) or direct (-> Score: k)."""
    walks = {r["walk_id"]: r for r in read_jsonl(corpus_dir / "walks.jsonl") if r["subject"] in subjects}
    if not walks:
        raise AgirError(f"{corpus_dir}: no walks of the training subjects")
    rows = read_jsonl(corpus_dir / ("stage1.jsonl" if stage == 1 else "stage2.jsonl"))
    rows = [r for r in rows if r["walk_id"] in walks and (stage == 2 or r["paraphrase"] < config.paraphrases_per_walk)]
    order = sorted(walks)
    straight = {w for w in order if turnless(w, config)}
    ids = dict(zip(order, walk_motion_ids([walks[w]["file"] for w in order], motion_tokenizer, config,
                                          where=["start" if w in straight else "middle" for w in order])))  # fmt: skip
    examples = []
    for r in rows:
        walk = walks[r["walk_id"]]
        flat = walk["parameters"]
        cut = r["walk_id"] in straight
        if cut:
            flat = without_turn(flat)
        if stage == 1:
            text = describe(flat, random.Random(f"{r['walk_id']}:{r['paraphrase']}"))[0] if cut else r["text"]
            examples.append(Example(r["walk_id"], r["subject"], "describe", prompt_for(tokenizer, "describe", ids[r["walk_id"]], flat, config), text))
            prompt = render_prompt(tokenizer, user_message("generate", text=text))
            examples.append(Example(r["walk_id"], r["subject"], "generate", prompt, motion_text(ids[r["walk_id"]])))
        else:
            task = "assess" if config.answer == "rationale" else "direct"
            reason = rationale(flat, r["score"], random.Random(f"{r['walk_id']}:r"))[0] if cut else r["rationale"]
            answer = reason if task == "assess" else f"Score: {r['score']}"
            examples.append(Example(r["walk_id"], r["subject"], task, prompt_for(tokenizer, task, ids[r["walk_id"]], flat, config), answer))
    return examples


def tokenize_examples(examples: list[Example], tokenizer, max_length: int) -> tuple[list[dict], int]:  # noqa: ANN001
    """input_ids / labels (prompt masked with -100) / length per example; drops those over ``max_length``."""
    rows, dropped = [], 0
    end = tokenizer.eos_token or ""
    for ex in examples:
        prompt = tokenizer(ex.prompt, add_special_tokens=False)["input_ids"]
        answer = tokenizer(ex.answer + end, add_special_tokens=False)["input_ids"]
        if len(prompt) + len(answer) > max_length:
            dropped += 1
            continue
        rows.append({"input_ids": prompt + answer, "labels": [IGNORE] * len(prompt) + answer, "length": len(prompt) + len(answer)})
    return rows, dropped


class AnswerOnlyCollator:
    """Pads a batch to its longest example (pad id for inputs, -100 for labels) with an attention mask."""

    def __init__(self, pad_id: int) -> None:
        self.pad_id = pad_id

    def __call__(self, batch: list[dict]) -> dict:
        import torch

        longest = max(len(b["input_ids"]) for b in batch)
        ids = torch.full((len(batch), longest), self.pad_id, dtype=torch.long)
        labels = torch.full((len(batch), longest), IGNORE, dtype=torch.long)
        mask = torch.zeros((len(batch), longest), dtype=torch.long)
        for i, b in enumerate(batch):
            n = len(b["input_ids"])
            ids[i, :n] = torch.tensor(b["input_ids"])
            labels[i, :n] = torch.tensor(b["labels"])
            mask[i, :n] = 1
        return {"input_ids": ids, "labels": labels, "attention_mask": mask}
