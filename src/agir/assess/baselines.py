"""Baselines evaluated on the same subject-wise folds as AGIR: the majority class, gait parameters + random
forest (the strongest published baseline on BMCLab) and a skeleton sequence classifier trained end to end
on the joints (a small temporal-conv network over the 137-d HumanML3D-style features at 20 fps)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agir.corpus.separability import feature_matrix


def majority(train_scores: list[int], n_test: int) -> list[int]:
    return [int(np.bincount(train_scores).argmax())] * n_test


def random_forest(train_records: list[dict], test_records: list[dict], seed: int = 0) -> list[int]:
    """Random forest (300 trees) on the flat measured parameters; missing values imputed with the median."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline

    forest = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True),
                           RandomForestClassifier(n_estimators=300, random_state=seed, n_jobs=1))  # fmt: skip
    forest.fit(feature_matrix(train_records), [r["score"] for r in train_records])
    return [int(v) for v in forest.predict(feature_matrix(test_records))]


@dataclass
class SkeletonClassifierConfig:
    """Temporal-conv classifier on feature windows of ``window`` frames (20 fps: 160 = 8 s)."""

    window: int = 160
    width: int = 64
    steps: int = 400
    batch_size: int = 32
    learning_rate: float = 2e-3
    seed: int = 0


def _network(features: int, width: int, classes: int):  # noqa: ANN202
    from torch import nn

    return nn.Sequential(
        nn.Conv1d(features, width, 5, padding=2), nn.ReLU(),
        nn.Conv1d(width, width, 5, stride=2, padding=2), nn.ReLU(),
        nn.Conv1d(width, width, 5, stride=2, padding=2), nn.ReLU(),
        nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, classes),
    )  # fmt: skip


def _windows(walk: np.ndarray, window: int) -> np.ndarray:
    if len(walk) < window:
        walk = np.concatenate([walk, np.repeat(walk[-1:], window - len(walk), axis=0)])
    starts = range(0, len(walk) - window + 1, window // 2)
    return np.stack([walk[s : s + window] for s in starts])


def skeleton_classifier(train_walks: list[np.ndarray], train_scores: list[int], test_walks: list[np.ndarray],
                        config: SkeletonClassifierConfig = SkeletonClassifierConfig()) -> list[int]:  # fmt: skip
    """Train on random windows of the training walks (T x 137 features each); predict each test walk by
    averaging the class probabilities of its half-overlapping windows."""
    import torch

    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    stacked = np.concatenate(train_walks)
    mean, std = stacked.mean(0), stacked.std(0) + 1e-3
    norm = [((w - mean) / std).astype(np.float32) for w in train_walks]
    classes = int(max(train_scores)) + 1
    net = _network(stacked.shape[1], config.width, classes)
    optimiser = torch.optim.AdamW(net.parameters(), lr=config.learning_rate, weight_decay=1e-2)
    labels = np.asarray(train_scores)
    for _ in range(config.steps):
        idx = rng.integers(0, len(norm), config.batch_size)
        batch = []
        for i in idx:
            w = norm[i] if len(norm[i]) >= config.window else _windows(norm[i], config.window)[0]
            s = rng.integers(0, len(w) - config.window + 1)
            batch.append(w[s : s + config.window])
        x = torch.from_numpy(np.stack(batch)).transpose(1, 2)
        loss = torch.nn.functional.cross_entropy(net(x), torch.from_numpy(labels[idx]))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    net.eval()
    out = []
    with torch.no_grad():
        for walk in test_walks:
            x = torch.from_numpy(_windows(((walk - mean) / std).astype(np.float32), config.window)).transpose(1, 2)
            out.append(int(torch.softmax(net(x), -1).mean(0).argmax()))
    return out
