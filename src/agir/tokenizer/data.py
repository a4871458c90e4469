"""Walks as tokenizer features: loading a labelled-walk folder, subject-wise held-out split, and random
training windows."""

from __future__ import annotations

import os
import random
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agir.errors import AgirError
from agir.readers import read_motion
from agir.readers.labelled import LabelledWalk, read_manifest
from agir.tokenizer.features import motion_features


@dataclass
class WalkFeatures:
    walk_id: str
    subject: str
    score: int | None
    features: np.ndarray  # T x 137 float32 at the tokenizer's fps


def _load(args: tuple[LabelledWalk, float]) -> WalkFeatures | str:
    walk, fps = args
    try:
        motion = read_motion(walk.path, walk.format, walk.joints, walk.units, walk.fps)
        return WalkFeatures(walk.walk_id, walk.subject, walk.score, motion_features(motion, fps))
    except (AgirError, ValueError) as exc:
        return f"{walk.walk_id}: {exc}"


def load_walk_features(data_dir: str | Path, fps: float, workers: int | None = None) -> tuple[list[WalkFeatures], list[str]]:
    """Features of every walk in a labelled-walk folder, and the reasons for the walks that were skipped."""
    walks = read_manifest(data_dir)
    workers = max(1, min(workers or os.cpu_count() or 1, len(walks)))
    jobs = [(w, fps) for w in walks]
    if workers == 1:
        results = [_load(j) for j in jobs]
    else:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_load, jobs, chunksize=8))
    loaded = [r for r in results if isinstance(r, WalkFeatures)]
    skipped = [r for r in results if isinstance(r, str)]
    if not loaded:
        raise AgirError(f"{data_dir}: none of the {len(walks)} walks could be used (first: {skipped[0]})")
    return loaded, skipped


def split_subjects(subjects: list[str], fraction: float, seed: int) -> tuple[list[str], list[str]]:
    """(train, held-out) subject lists; at least one held-out subject when there are two or more."""
    unique = sorted(set(subjects))
    if len(unique) < 2:
        raise AgirError(f"a held-out split needs at least 2 subjects, the data has {len(unique)}")
    rng = random.Random(f"agir-tokenizer:{seed}")
    rng.shuffle(unique)
    n_held = min(max(1, round(fraction * len(unique))), len(unique) - 1)
    return sorted(unique[n_held:]), sorted(unique[:n_held])


class WindowSampler:
    """Random training windows (``window`` frames) from walks at least that long, each start frame equally
    likely, drawn from a ``numpy`` generator."""

    def __init__(self, walks: list[WalkFeatures], window: int) -> None:
        self.walks = [w.features for w in walks if len(w.features) >= window]
        if not self.walks:
            longest = max(len(w.features) for w in walks)
            raise AgirError(f"no training walk has {window} frames (longest: {longest}); lower the window")
        self.window = window
        starts = np.array([len(f) - window + 1 for f in self.walks], dtype=np.float64)
        self.weights = starts / starts.sum()

    def sample(self, batch: int, rng: np.random.Generator) -> np.ndarray:
        which = rng.choice(len(self.walks), size=batch, p=self.weights)
        out = np.empty((batch, self.window, self.walks[0].shape[1]), dtype=np.float32)
        for i, k in enumerate(which):
            start = rng.integers(0, len(self.walks[k]) - self.window + 1)
            out[i] = self.walks[k][start : start + self.window]
        return out


def feature_statistics(walks: list[WalkFeatures], floor: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    """Per-dimension mean and standard deviation (floored) over every frame of ``walks``."""
    stacked = np.concatenate([w.features for w in walks]).astype(np.float64)
    return stacked.mean(0).astype(np.float32), np.maximum(stacked.std(0), floor).astype(np.float32)
