"""A trained AGIR language model folder, loaded for inference: the base LM with the motion vocabulary, the
LoRA adapter merged in, and the VQ-VAE that turns walks into the motion tokens it reads.

Folder (``save_pretrained`` conventions): ``adapter_config.json`` + ``adapter_model.safetensors`` (LoRA and
the new motion-token rows), the extended tokenizer files, ``motion_tokenizer/`` (the VQ-VAE), ``agir_lm.json``
(settings, held-out subjects, training history, evaluation) and ``README.md`` (the model card).
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path

import numpy as np

from agir.errors import AgirError
from agir.lm.config import LMConfig
from agir.lm.drafting import NgramDrafter, speculative_greedy
from agir.lm.prompts import parse_motion_text, render_prompt, user_message
from agir.tokenizer.features import features_to_joints, motion_features
from agir.tokenizer.model import MotionTokenizer

LM_CONFIG = "agir_lm.json"
MOTION_TOKENIZER = "motion_tokenizer"
SCORES = (0, 1, 2, 3, 4)


def read_lm_folder(folder: str | Path) -> dict:
    folder = Path(folder)
    if not (folder / LM_CONFIG).is_file():
        raise AgirError(f"{folder}: no {LM_CONFIG}; expected a model folder written by `agir train`")
    return json.loads((folder / LM_CONFIG).read_text())


PRECISIONS = ("auto", "fp32", "bf16")


def resolve_precision(precision: str, device_type: str) -> str:
    """The inference precision: ``fp32`` (the merged weights as they are) or ``bf16`` (bfloat16 autocast).
    ``auto`` is bf16 where the hardware has it (a CPU with AVX512-BF16, a GPU with bf16) and fp32 elsewhere;
    the reference model was evaluated with bf16."""
    import torch

    if precision not in PRECISIONS:
        raise AgirError(f"unknown precision '{precision}': expected one of {', '.join(PRECISIONS)}")
    if precision != "auto":
        return precision
    if device_type == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    check = getattr(torch.cpu, "_is_avx512_bf16_supported", None)
    return "bf16" if check and check() else "fp32"


class AgirLM:
    """Load once, then ``assess`` / ``score_direct`` / ``describe`` / ``generate_motion`` many walks."""

    def __init__(self, folder: str | Path, precision: str = "auto") -> None:
        import torch
        from peft import PeftModel

        from agir.lm.vocab import load_base_with_motion

        self.folder = Path(folder)
        self.info = read_lm_folder(folder)
        self.config = LMConfig.from_dict(self.info["config"], str(self.folder / LM_CONFIG))
        self.motion_tokenizer = MotionTokenizer.from_pretrained(self.folder / MOTION_TOKENIZER)
        codes = self.config.motion_levels * self.motion_tokenizer.config.codebook_size
        model, self.tokenizer, _ = load_base_with_motion(self.config.base_model, codes)
        try:
            model = PeftModel.from_pretrained(model, str(self.folder)).merge_and_unload()
        except (OSError, ValueError, RuntimeError) as exc:
            raise AgirError(f"{self.folder}: the adapter does not fit base model '{self.config.base_model}' ({exc})") from None
        self.tokenizer.padding_side = "left"
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        self.precision = resolve_precision(precision, self.device.type)
        self.model = model.eval().to(self.device)
        self.prompt_lookup = 10  # draft tokens per forward pass at batch size 1 (0: plain greedy decoding)
        self.drafter = NgramDrafter.from_folder(self.folder)  # None for folders without drafts.safetensors
        self.version = f"{self.folder.name} (stage {self.info['stage']}, {self.config.base_model}, {self.precision})"

    # ------------------------------------------------------------------ inputs
    def motion_ids(self, motion) -> np.ndarray:  # noqa: ANN001
        """LM motion codes of a :class:`agir.skeleton.Motion` (selected levels, cropped around the middle)."""
        from agir.lm.prompts import select_motion_ids

        c = self.motion_tokenizer.config
        ids = self.motion_tokenizer.encode(motion_features(motion, c.fps))
        return select_motion_ids(ids, self.config.motion_levels, c.codebook_size, c.num_quantizers, self.config.max_motion_steps)

    def prompt(self, task: str, motion_ids: np.ndarray, flat: dict | None) -> str:
        from agir.lm.examples import prompt_for

        return prompt_for(self.tokenizer, task, motion_ids, flat, self.config)

    # ------------------------------------------------------------------ model calls
    def _autocast(self):  # noqa: ANN202
        import torch

        return torch.autocast(self.device.type, dtype=torch.bfloat16) if self.precision == "bf16" else nullcontext()

    def generate(self, prompts: list[str], max_new_tokens: int = 220) -> tuple[list[str], int]:
        """Greedy answers to chat-formatted prompts (one batch); returns (texts, new tokens generated).

        One prompt is decoded speculatively: drafts from the model's training answers (``drafts.safetensors``,
        :mod:`agir.lm.drafting`) or, for folders without them, prompt lookup; either way the text is the
        model's greedy answer, confirmed up to ``prompt_lookup`` drafted tokens per forward pass."""
        import torch

        if len(prompts) == 1 and self.prompt_lookup and self.drafter is not None:
            ids = self.tokenizer(prompts[0], add_special_tokens=False)["input_ids"]
            stop = self._stop_ids()
            with torch.inference_mode(), self._autocast():
                new, self.last_forward_passes = speculative_greedy(self.model, ids, self.drafter, max_new_tokens,
                                                                   stop, self.prompt_lookup)  # fmt: skip
            n_new = len(new) - (new[-1] in stop)
            return [self.tokenizer.decode(new, skip_special_tokens=True)], n_new
        batch = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(self.device)
        # prompt-lookup decoding (greedy, same output) drafts the numbers the rationale copies from the
        # measurement line; transformers supports it for batch size 1 only
        lookup = {"prompt_lookup_num_tokens": self.prompt_lookup} if self.prompt_lookup and len(prompts) == 1 else {}
        with torch.inference_mode(), self._autocast():
            out = self.model.generate(**batch, max_new_tokens=max_new_tokens, do_sample=False,
                                      pad_token_id=self.tokenizer.pad_token_id, **lookup)  # fmt: skip
        new = out[:, batch["input_ids"].shape[1]:]
        lengths = [int((row != self.tokenizer.pad_token_id).sum()) for row in new]
        return self.tokenizer.batch_decode(new, skip_special_tokens=True), sum(lengths)

    def _stop_ids(self) -> set[int]:
        eos = self.model.generation_config.eos_token_id
        ids = set(eos if isinstance(eos, list) else [eos] if eos is not None else [])
        return ids | ({self.tokenizer.eos_token_id} if self.tokenizer.eos_token_id is not None else set())

    def score_probabilities(self, prompts: list[str], prefixes: list[str]) -> list[dict[str, float]]:
        """P(score = k | prompt, answer so far up to 'Score:') for k = 0..4, from the model's distribution over
        each candidate continuation ' k'. When the candidates differ only in their last token (SmolLM2: ' ' then
        the digit) one forward pass per walk reads them all; otherwise each continuation is scored in full."""
        import torch

        sequences, reads = [], []  # reads: per walk, per candidate: (sequence index, [(position, token)])
        for prompt, prefix in zip(prompts, prefixes):
            head = len(self.tokenizer(prompt + prefix, add_special_tokens=False)["input_ids"])
            cands = [self.tokenizer(prompt + prefix + f" {k}", add_special_tokens=False)["input_ids"] for k in SCORES]
            shared = cands[0][:-1]
            if all(len(c) == len(cands[0]) and c[:-1] == shared for c in cands):
                sequences.append(shared)
                reads.append([(len(sequences) - 1, [(len(shared) - 1, c[-1])]) for c in cands])
            else:
                walk = []
                for c in cands:
                    sequences.append(c)
                    start = min(head, len(c) - 1)
                    walk.append((len(sequences) - 1, [(i - 1, c[i]) for i in range(start, len(c))]))
                reads.append(walk)
        longest = max(len(t) for t in sequences)
        pad = self.tokenizer.pad_token_id
        ids = torch.tensor([[pad] * (longest - len(t)) + t for t in sequences], device=self.device)
        mask = torch.tensor([[0] * (longest - len(t)) + [1] * len(t) for t in sequences], device=self.device)
        # the output head only where a candidate is read (the last `keep` positions): the full vocabulary at
        # every prompt position would cost more than the rest of the pass
        keep = max(len(sequences[row]) - pos for walk in reads for row, picks in walk for pos, _ in picks)
        with torch.inference_mode(), self._autocast():
            logits = self.model(input_ids=ids, attention_mask=mask, logits_to_keep=keep).logits.float()
        logp = torch.log_softmax(logits, dim=-1)
        out = []
        for walk in reads:
            totals = np.array([sum(float(logp[row, keep - len(sequences[row]) + pos, tok]) for pos, tok in picks)
                               for row, picks in walk])  # fmt: skip
            p = np.exp(totals - totals.max())
            p /= p.sum()
            out.append({str(k): float(v) for k, v in zip(SCORES, p)})
        return out

    # ------------------------------------------------------------------ tasks
    def assess(self, motion_ids: list[np.ndarray], flats: list[dict | None], max_new_tokens: int = 220) -> list[dict]:
        """Rationale, score and probabilities for a batch of walks (the rationale is cut at 'Score:')."""
        task = "assess" if self.config.answer == "rationale" else "direct"
        prompts = [self.prompt(task, m, f) for m, f in zip(motion_ids, flats)]
        if task == "direct":
            texts, n_new = [""] * len(prompts), 0
        else:
            texts, n_new = self.generate(prompts, max_new_tokens)
        prefixes, rationales = [], []
        for text in texts:
            head = text.split("Score:")[0].strip()
            rationales.append(head)
            prefixes.append((head + " " if head else "") + "Score:")
        probabilities = self.score_probabilities(prompts, prefixes)
        return [{"rationale": r, "probabilities": p, "score": int(max(p, key=p.get)), "generated_tokens": n_new / len(prompts)}
                for r, p in zip(rationales, probabilities)]  # fmt: skip

    def describe(self, motion_ids: np.ndarray, flat: dict | None, max_new_tokens: int = 320) -> str:
        return self.generate([self.prompt("describe", motion_ids, flat)], max_new_tokens)[0][0].strip()

    def generate_motion(self, text: str, max_new_tokens: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Description -> (motion codes, joints T x 22 x 3 in metres at the tokenizer's fps). Codes the
        decoder cannot take (a code of the wrong level) are an error, not silently dropped."""
        levels = self.config.motion_levels
        c = self.motion_tokenizer.config
        budget = max_new_tokens or self.config.max_motion_steps * levels + 2
        answer, _ = self.generate([render_prompt(self.tokenizer, user_message("generate", text=text))], budget)
        codes = parse_motion_text(answer[0])
        codes = codes[: len(codes) // levels * levels]
        if len(codes) == 0:
            raise AgirError(f"the model wrote fewer than {levels} motion tokens")
        steps = codes.reshape(-1, levels)
        if int(steps.max()) >= levels * c.codebook_size:
            raise AgirError(f"the model wrote motion codes beyond its {levels} level(s)")
        features = self.motion_tokenizer.decode_levels(steps)
        return codes, features_to_joints(features)
