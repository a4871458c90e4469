"""Speculative decoding with the n-gram drafter returns the model's own greedy answer, whatever the drafts:
drafts that are all accepted, all rejected, or partly right (the tiny model's folder is the session fixture)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from agir.lm.drafting import DRAFTS, NgramDrafter, speculative_greedy
from agir.lm.model import AgirLM


def test_the_drafter_follows_the_longest_known_context() -> None:
    drafter = NgramDrafter([[1, 2, 3, 4, 5], [9, 2, 3, 7, 8]], max_context=3)
    assert drafter.draft([1, 2, 3], 2) == [4, 5]  # context (1, 2, 3) is known: its continuation
    assert drafter.draft([9, 2, 3], 2) == [7, 8]
    assert drafter.draft([42], 3) == []  # nothing known: no draft
    assert len(drafter.draft([2], 10)) <= 10


def test_training_writes_the_drafts_and_speculation_keeps_the_greedy_answer(tiny_model: Path) -> None:
    assert (tiny_model / DRAFTS).is_file()
    lm = AgirLM(tiny_model, "fp32")
    prompt = lm.prompt("describe", np.array([1, 2, 3, 4, 5, 6]), None)
    prompt_ids = lm.tokenizer(prompt, add_special_tokens=False)["input_ids"]
    lm.prompt_lookup = 0
    plain, n_plain = lm.generate([prompt], 40)  # transformers' greedy search
    with torch.inference_mode():
        answer_ids, passes = speculative_greedy(lm.model, prompt_ids, NgramDrafter([]), 40, lm._stop_ids())
    assert passes == len(answer_ids)  # nothing drafted: one token per pass
    lm.prompt_lookup = 6
    drafters = {
        "trained": lm.drafter,
        "perfect": NgramDrafter([answer_ids]),  # drafts the answer itself: whole drafts accepted
        "wrong": NgramDrafter([[t + 1 for t in answer_ids]]),  # drafts nothing right
        "half": NgramDrafter([answer_ids[: len(answer_ids) // 2] + [0] * 8]),
    }
    for name, drafter in drafters.items():
        lm.drafter = drafter
        assert lm.generate([prompt], 40) == (plain, n_plain), name
        if name == "perfect":
            assert lm.last_forward_passes <= len(answer_ids) / 2, (lm.last_forward_passes, answer_ids)
