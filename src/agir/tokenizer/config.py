"""The tokenizer's configuration: architecture and training settings as data (``config.json``)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from agir.errors import AgirError
from agir.tokenizer.features import FEATURE_DIM


@dataclass
class TokenizerConfig:
    """T2M-GPT-style VQ-VAE (defaults: the paper's size; see ``cpu_small`` for a laptop-sized model)."""

    feature_dim: int = FEATURE_DIM
    fps: float = 20.0
    width: int = 512  # channels of the conv encoder/decoder
    code_dim: int = 512  # dimension of a codebook vector
    codebook_size: int = 512
    num_quantizers: int = 1  # > 1: residual VQ; each 4-frame step becomes num_quantizers tokens
    codebook_dim: int | None = None  # if set, codes live in this smaller space (factorised codes, Yu et al. 2022)
    cosine_codes: bool = False  # nearest code by cosine similarity (l2-normalised codes)
    down_t: int = 2  # temporal downsampling by 2**down_t (4 frames per token)
    depth: int = 3  # residual blocks per stage
    dilation_growth: int = 3
    ema_decay: float = 0.99
    dead_code_threshold: float = 2.0  # codes used less than this (EMA count) are replaced by batch vectors
    commitment_weight: float = 0.02
    velocity_weight: float = 0.5
    position_weight: float = 0.0  # extra smooth-L1 on the root-relative joint positions (what MPJPE measures)
    mirror_probability: float = 0.0  # share of training windows mirrored left-right (features.mirror_features)
    window: int = 64  # training window (frames)
    batch_size: int = 64
    steps: int = 20000
    learning_rate: float = 2e-4
    warmup_steps: int = 200
    weight_decay: float = 0.0
    validation_fraction: float = 0.15  # of the subjects, held out
    validate_every: int = 500
    checkpoint_every: int = 500
    seed: int = 0

    @property
    def frames_per_token(self) -> int:
        """Frames per time step (each step is ``num_quantizers`` tokens)."""
        return 2**self.down_t

    @property
    def vocabulary_size(self) -> int:
        """Distinct token ids: level q of a residual VQ uses ids q*codebook_size ... (q+1)*codebook_size-1."""
        return self.num_quantizers * self.codebook_size

    @classmethod
    def cpu_small(cls, **overrides: object) -> TokenizerConfig:
        """The reference tokenizer's recipe: trains on one CPU core in about 35 min and is small enough to ship
        (about 1.3 M parameters). A 6-level residual VQ (a single 512-code level loses too much of a walk: 40 mm
        MPJPE), the metric position loss (without it 28-31 mm), left-right mirroring of half the windows, and
        256-frame windows (with 64-frame windows the convolutions learn the window edges, and whole walks come
        back worse the longer it trains: 25 mm against 15 mm on 64-frame chunks of the same walks)."""
        base = {"width": 128, "code_dim": 64, "codebook_size": 512, "num_quantizers": 6, "position_weight": 1.0,
                "mirror_probability": 0.5, "window": 256, "batch_size": 8, "steps": 12000, "learning_rate": 1e-3,
                "validate_every": 1000, "checkpoint_every": 1000}  # fmt: skip
        return cls(**{**base, **overrides})

    def to_dict(self) -> dict:
        return asdict(self)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n")

    @classmethod
    def from_dict(cls, data: dict, source: str = "config") -> TokenizerConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known - {"model_type", "agir_version"})
        if unknown:
            raise AgirError(f"{source}: unknown tokenizer setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def from_file(cls, path: str | Path) -> TokenizerConfig:
        path = Path(path)
        try:
            data = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise AgirError(f"{path}: not a readable JSON config ({exc})") from exc
        if data.get("preset") == "cpu_small":
            return cls.cpu_small(**{k: v for k, v in data.items() if k != "preset"})
        return cls.from_dict(data, str(path))
