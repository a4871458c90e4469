"""The VQ-VAE motion tokenizer (T2M-GPT architecture): a 1D-conv encoder with residual dilated blocks
that downsamples time by 4, a codebook (vector-quantize-pytorch: EMA updates, dead-code replacement,
k-means initialisation), and a mirrored decoder. Saved as a ``from_pretrained`` folder: ``config.json``,
``model.safetensors`` (weights and codebook), ``feature_stats.json`` (normalisation) and ``README.md``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save
from torch import nn
from torch.nn import functional as F
from vector_quantize_pytorch import ResidualVQ, VectorQuantize

from agir import __version__
from agir.errors import AgirError
from agir.tokenizer.config import TokenizerConfig

WEIGHTS, CONFIG, STATS = "model.safetensors", "config.json", "feature_stats.json"


class ResidualBlock(nn.Module):
    """x + conv1x1(relu(dilated conv3(relu(x))))."""

    def __init__(self, width: int, dilation: int) -> None:
        super().__init__()
        self.dilated = nn.Conv1d(width, width, 3, padding=dilation, dilation=dilation)
        self.mix = nn.Conv1d(width, width, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.mix(F.relu(self.dilated(F.relu(x))))


def residual_stack(width: int, depth: int, growth: int, reverse: bool = True) -> nn.Sequential:
    dilations = [growth**i for i in range(depth)]
    return nn.Sequential(*(ResidualBlock(width, d) for d in (dilations[::-1] if reverse else dilations)))


class Encoder(nn.Module):
    """B x D x T features -> B x code_dim x T / 2**down_t."""

    def __init__(self, c: TokenizerConfig) -> None:
        super().__init__()
        layers: list[nn.Module] = [nn.Conv1d(c.feature_dim, c.width, 3, padding=1), nn.ReLU()]
        for _ in range(c.down_t):
            layers += [nn.Conv1d(c.width, c.width, 4, stride=2, padding=1), residual_stack(c.width, c.depth, c.dilation_growth)]
        layers.append(nn.Conv1d(c.width, c.code_dim, 3, padding=1))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class Decoder(nn.Module):
    """B x code_dim x N -> B x D x N * 2**down_t."""

    def __init__(self, c: TokenizerConfig) -> None:
        super().__init__()
        layers: list[nn.Module] = [nn.Conv1d(c.code_dim, c.width, 3, padding=1), nn.ReLU()]
        for _ in range(c.down_t):
            layers += [residual_stack(c.width, c.depth, c.dilation_growth, reverse=False),
                       nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv1d(c.width, c.width, 3, padding=1)]  # fmt: skip
        layers += [nn.Conv1d(c.width, c.width, 3, padding=1), nn.ReLU(), nn.Conv1d(c.width, c.feature_dim, 3, padding=1)]
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class MotionTokenizer(nn.Module):
    """Features (B x T x 137, raw units) <-> motion token ids (B x T/4).

    ``mean`` / ``std`` normalise features; they are buffers saved with the weights and in
    ``feature_stats.json``.
    """

    def __init__(self, config: TokenizerConfig) -> None:
        super().__init__()
        self.config = config
        self.encoder = Encoder(config)
        self.decoder = Decoder(config)
        settings = dict(
            dim=config.code_dim, codebook_size=config.codebook_size, decay=config.ema_decay,
            commitment_weight=config.commitment_weight, kmeans_init=True, kmeans_iters=10,
            threshold_ema_dead_code=config.dead_code_threshold, codebook_dim=config.codebook_dim,
            use_cosine_sim=config.cosine_codes,
        )  # fmt: skip
        if config.num_quantizers > 1:
            self.quantizer = ResidualVQ(num_quantizers=config.num_quantizers, **settings)
        else:
            self.quantizer = VectorQuantize(**settings)
        self.register_buffer("mean", torch.zeros(config.feature_dim))
        self.register_buffer("std", torch.ones(config.feature_dim))
        self.info: dict = {}  # training/validation subjects and metrics, from config.json when loaded

    # ------------------------------------------------------------------ core
    def normalise(self, features: torch.Tensor) -> torch.Tensor:
        return (features - self.mean) / self.std

    def denormalise(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.std + self.mean

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Normalised B x T x D (T a multiple of 4) -> (reconstruction, ids B x T/4 [x Q], commitment loss)."""
        latent = self.encoder(x.transpose(1, 2)).transpose(1, 2)
        quantised, ids, commit = self.quantizer(latent)
        return self.decoder(quantised.transpose(1, 2)).transpose(1, 2), ids, commit.sum()

    @torch.no_grad()
    def encode(self, features: np.ndarray) -> np.ndarray:
        """T x 137 raw features (any T >= 1) -> ceil(T / 4) x num_quantizers token ids (for a residual VQ,
        step by step: level 0, level 1, ... with level q offset by q x codebook_size). The end is padded by
        repeating the last frame."""
        return self.encode_batch([features])[0]

    @torch.no_grad()
    def encode_batch(self, walks: list[np.ndarray]) -> list[np.ndarray]:
        """Several walks at once (each T_i x 137, padded by repeating its last frame to a common length)."""
        step = self.config.frames_per_token
        if not walks or any(len(w) == 0 for w in walks):
            raise AgirError("cannot encode an empty walk (0 frames)")
        longest = -(-max(len(w) for w in walks) // step) * step
        batch = np.stack([np.concatenate([w, np.repeat(w[-1:], longest - len(w), axis=0)]) for w in walks])
        x = torch.as_tensor(batch.astype(np.float32), device=self.mean.device)
        latent = self.encoder(self.normalise(x).transpose(1, 2)).transpose(1, 2)
        _, ids, _ = self.quantizer(latent)
        ids = ids.cpu().numpy().astype(np.int64).reshape(len(walks), ids.shape[1], -1)  # B x N x Q
        ids = (ids + np.arange(ids.shape[-1]) * self.config.codebook_size).reshape(len(walks), -1)
        q = self.config.num_quantizers
        return [ids[i, : -(-len(w) // step) * q] for i, w in enumerate(walks)]

    @torch.no_grad()
    def decode(self, ids: np.ndarray | list[int], frames: int | None = None) -> np.ndarray:
        """Token ids -> raw features (4 frames per id; cropped to ``frames`` if given)."""
        ids = np.asarray(ids, dtype=np.int64)
        c, q = self.config, self.config.num_quantizers
        if ids.ndim != 1 or len(ids) == 0:
            raise AgirError(f"token ids must be a non-empty 1-D sequence, got shape {tuple(ids.shape)}")
        if int(ids.min()) < 0 or int(ids.max()) >= c.vocabulary_size:
            raise AgirError(f"token ids must be in 0..{c.vocabulary_size - 1}, got {int(ids.min())}..{int(ids.max())}")
        if len(ids) % q or not np.array_equal(ids.reshape(-1, q) // c.codebook_size, np.tile(np.arange(q), (len(ids) // q, 1))):
            raise AgirError(f"token ids must come in steps of {q} (one per quantiser level, level q from "
                            f"{c.codebook_size} x q); got {len(ids)} ids out of that order")  # fmt: skip
        levels = torch.as_tensor(ids.reshape(1, -1, q) - np.arange(q) * c.codebook_size, device=self.mean.device)
        codes = self.quantizer.get_output_from_indices(levels if q > 1 else levels[..., 0])
        out = self.denormalise(self.decoder(codes.transpose(1, 2)).transpose(1, 2))[0]
        return out[:frames].cpu().numpy() if frames else out.cpu().numpy()

    @torch.no_grad()
    def decode_levels(self, steps: np.ndarray, frames: int | None = None) -> np.ndarray:
        """Coarse decoding from the first L levels only: ``steps`` is N x L ids (level q offset by q x
        codebook size, as ``encode`` writes them); the finer residual levels contribute nothing."""
        steps = np.asarray(steps, dtype=np.int64)
        c, q = self.config, self.config.num_quantizers
        if steps.ndim != 2 or not 1 <= steps.shape[1] <= q or len(steps) == 0:
            raise AgirError(f"expected N x L token ids with 1 <= L <= {q}, got shape {tuple(steps.shape)}")
        if steps.shape[1] == q:
            return self.decode(steps.reshape(-1), frames)
        levels = steps - np.arange(steps.shape[1]) * c.codebook_size
        if int(levels.min()) < 0 or int(levels.max()) >= c.codebook_size:
            raise AgirError(f"token ids out of range for their level (codebook size {c.codebook_size})")
        padded = np.concatenate([levels, np.full((len(levels), q - steps.shape[1]), -1)], axis=1)
        codes = self.quantizer.get_output_from_indices(torch.as_tensor(padded[None], device=self.mean.device))
        out = self.denormalise(self.decoder(codes.transpose(1, 2)).transpose(1, 2))[0]
        return out[:frames].cpu().numpy() if frames else out.cpu().numpy()

    # ------------------------------------------------------------------ persistence
    def save_pretrained(self, folder: str | Path, card: str | None = None, extra: dict | None = None) -> None:
        """Write config.json, model.safetensors, feature_stats.json (and README.md if ``card``)."""
        from agir.readers.labelled import atomic_write_bytes, atomic_write_text

        folder = Path(folder)
        state = {k: v.detach().cpu().contiguous() for k, v in self.state_dict().items()}
        atomic_write_bytes(folder / WEIGHTS, save(state, metadata={"format": "pt", "agir_version": __version__}))
        atomic_write_text(folder / CONFIG, json.dumps({"model_type": "agir-motion-vqvae", "agir_version": __version__,
                                                       **self.config.to_dict(), **(extra or {})}, indent=2) + "\n")  # fmt: skip
        atomic_write_text(folder / STATS, json.dumps({"mean": self.mean.tolist(), "std": self.std.tolist()}) + "\n")
        if card:
            atomic_write_text(folder / "README.md", card)

    @classmethod
    def from_pretrained(cls, folder: str | Path) -> MotionTokenizer:
        folder = Path(folder)
        for name in (CONFIG, WEIGHTS):
            if not (folder / name).is_file():
                raise AgirError(f"{folder}: no {name}; expected a tokenizer folder written by `agir tokenizer train`")
        data = json.loads((folder / CONFIG).read_text())
        extra = {k: data.pop(k) for k in list(data) if k in ("training_subjects", "validation_subjects", "metrics")}
        model = cls(TokenizerConfig.from_dict(data, str(folder / CONFIG)))
        try:
            model.load_state_dict(load_file(str(folder / WEIGHTS)))
        except (RuntimeError, OSError) as exc:
            raise AgirError(f"{folder / WEIGHTS}: weights do not match config.json ({exc})") from exc
        model.info = extra
        return model.eval()
