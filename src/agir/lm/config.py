"""Settings of the reasoning language model and its fine-tuning, as data (``--config FILE`` JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from agir.errors import AgirError

ANSWERS = ("rationale", "direct")


@dataclass
class LMConfig:
    """How the LM reads motion, which base it starts from and how it is fine-tuned.

    ``motion_levels``: residual-VQ levels the LM reads and writes (level 0 = the coarse code; each step of
    the tokenizer is 4 frames = 0.2 s at 20 fps, so 1 level = 5 motion tokens per second).
    ``max_motion_steps``: tokenizer steps in a prompt (48 = 9.6 s); longer walks are cropped around their
    middle, which in the 10 m out-and-back protocol holds the turn and the strides either side of it.
    ``include_parameters``: put the measured gait parameters in the prompt (the rationale then cites them);
    ``False`` is AGIR as published (motion tokens only).
    ``turnless_fraction``: share of training walks shown as straight walks (turn parameters removed, motion
    cropped from the start) so the model learns to say a turn was not measured.
    ``answer``: ``rationale`` (chain of thought, then ``Score: k``) or ``direct`` (``Score: k`` only: the
    ablation that measures what the reasoning adds).
    """

    base_model: str = "smollm2-135m-instruct"
    motion_levels: int = 1
    max_motion_steps: int = 48
    include_parameters: bool = True
    answer: str = "rationale"
    lora_r: int = 16
    lora_alpha: int = 32
    learning_rate: float = 1e-3
    epochs: float = 1.0
    max_steps: int = -1
    batch_size: int = 8
    gradient_accumulation: int = 1
    warmup_ratio: float = 0.05
    weight_decay: float = 0.0
    bf16: bool = True
    max_length: int = 768
    paraphrases_per_walk: int = 1
    turnless_fraction: float = 0.25
    save_steps: int = 25
    seed: int = 0

    def validate(self, source: str = "config") -> LMConfig:
        if self.answer not in ANSWERS:
            raise AgirError(f"{source}: answer must be one of {', '.join(ANSWERS)}, got '{self.answer}'")
        for name in ("motion_levels", "max_motion_steps", "lora_r", "batch_size", "gradient_accumulation", "max_length",
                     "paraphrases_per_walk", "save_steps"):  # fmt: skip
            if int(getattr(self, name)) < 1:
                raise AgirError(f"{source}: {name} must be >= 1, got {getattr(self, name)}")
        if self.learning_rate <= 0 or (self.epochs <= 0 and self.max_steps <= 0):
            raise AgirError(f"{source}: learning_rate and epochs (or max_steps) must be positive")
        return self

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict, source: str = "config") -> LMConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise AgirError(f"{source}: unknown settings {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        return cls(**data).validate(source)

    @classmethod
    def from_file(cls, path: str | Path) -> LMConfig:
        path = Path(path)
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            raise AgirError(f"{path}: config file not found") from None
        except json.JSONDecodeError as exc:
            raise AgirError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise AgirError(f"{path}: expected a JSON object of settings")
        return cls.from_dict(data, str(path))
