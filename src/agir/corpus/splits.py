"""Subject-wise evaluation splits: k-fold by subject (stratified by score) and leave-one-subject-out.

No subject is ever in both the train and the test side of a fold. Folds depend only on the subjects, their
scores and the seed, so they are reproducible and shared by every method evaluated on a corpus.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import asdict, dataclass

from agir.errors import AgirError


@dataclass
class Fold:
    index: int
    train_subjects: list[str]
    test_subjects: list[str]

    def to_dict(self) -> dict:
        return asdict(self)


def parse_split_spec(spec: str) -> list[tuple[str, int | None]]:
    """``kfold:5``, ``loso`` or a comma-separated list of them -> [(kind, k)]."""
    out: list[tuple[str, int | None]] = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        if part == "loso":
            out.append(("loso", None))
            continue
        kind, _, k = part.partition(":")
        if kind != "kfold" or not k.isdigit() or int(k) < 2:
            raise AgirError(f"unknown split '{part}': expected kfold:K (K >= 2) or loso")
        out.append(("kfold", int(k)))
    if not out:
        raise AgirError("no split given: expected kfold:K or loso")
    return out


def subject_scores(walks: list[tuple[str, int | None]]) -> dict[str, int | None]:
    """Each subject's most common score over its walks (None if none is labelled), in first-seen order."""
    by_subject: dict[str, Counter] = {}
    for subject, score in walks:
        counter = by_subject.setdefault(subject, Counter())
        if score is not None:
            counter[score] += 1
    return {s: (c.most_common(1)[0][0] if c else None) for s, c in by_subject.items()}


def kfold_by_subject(scores: dict[str, int | None], k: int, seed: int) -> list[Fold]:
    """``k`` folds; subjects of each score are shuffled and dealt round-robin, so every fold gets a similar
    mix of scores."""
    subjects = sorted(scores)
    if k > len(subjects):
        raise AgirError(f"kfold:{k} needs at least {k} subjects, the corpus has {len(subjects)}")
    rng = random.Random(f"agir-splits:{seed}")
    groups: dict[object, list[str]] = {}
    for s in subjects:
        groups.setdefault(-1 if scores[s] is None else scores[s], []).append(s)
    tests: list[list[str]] = [[] for _ in range(k)]
    position = 0
    for key in sorted(groups):
        members = groups[key]
        rng.shuffle(members)
        for s in members:
            tests[position % k].append(s)
            position += 1
    return [Fold(i, sorted(set(subjects) - set(test)), sorted(test)) for i, test in enumerate(tests)]


def leave_one_subject_out(scores: dict[str, int | None]) -> list[Fold]:
    subjects = sorted(scores)
    return [Fold(i, [x for x in subjects if x != s], [s]) for i, s in enumerate(subjects)]


def make_splits(scores: dict[str, int | None], spec: str, seed: int) -> dict[str, dict]:
    """All requested splits as JSON-ready dicts keyed by name (``kfold5``, ``loso``)."""
    out = {}
    for kind, k in parse_split_spec(spec):
        folds = kfold_by_subject(scores, k, seed) if kind == "kfold" else leave_one_subject_out(scores)
        name = f"kfold{k}" if kind == "kfold" else "loso"
        out[name] = {"kind": kind, "k": len(folds), "seed": seed, "folds": [f.to_dict() for f in folds]}
    return out
