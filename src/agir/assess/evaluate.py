"""``agir evaluate``: AGIR models and the baselines on the same held-out subjects of a corpus fold.

Each model folder records the split and fold it was trained on and its training subjects; evaluation runs on
the labelled walks of that fold's test subjects only, and refuses if any of them was seen in training.
The baselines are trained on the fold's training subjects and tested on the same walks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from agir.assess.baselines import SkeletonClassifierConfig, majority, random_forest, skeleton_classifier
from agir.assess.claims import check_rationale
from agir.assess.metrics import markdown_table, score_metrics
from agir.errors import AgirError
from agir.lm.examples import fold_subjects, read_jsonl, walk_motion_ids
from agir.lm.model import AgirLM, read_lm_folder


def _cap_per_subject(records: list[dict], cap: int | None) -> list[dict]:
    if not cap:
        return records
    seen: dict[str, int] = {}
    out = []
    for r in sorted(records, key=lambda r: r["walk_id"]):
        if seen.get(r["subject"], 0) < cap:
            seen[r["subject"]] = seen.get(r["subject"], 0) + 1
            out.append(r)
    return out


def _features(records: list[dict]) -> list[np.ndarray]:
    from agir.readers import read_motion
    from agir.tokenizer.features import motion_features

    return [motion_features(read_motion(r["file"])) for r in records]


def evaluate_models(corpus_dir: str | Path, model_dirs: list[str | Path], split: str | None = None, fold: int | None = None,
                    max_walks_per_subject: int | None = None, batch: int = 8, baselines: bool = True,
                    skeleton: SkeletonClassifierConfig = SkeletonClassifierConfig(),
                    progress: Callable[[str, int, int], None] | None = None, precision: str = "auto") -> dict:  # fmt: skip
    """Metrics per method on the held-out walks of one fold (JSON-ready; ``markdown`` holds the table); the
    language models run at ``precision`` (see :func:`agir.lm.model.resolve_precision`)."""
    corpus_dir = Path(corpus_dir)
    infos = [read_lm_folder(m) for m in model_dirs]
    if infos:
        split = split or infos[0]["split"]
        fold = infos[0]["fold"] if fold is None else fold
    if split is None or fold is None:
        raise AgirError("without --model, pass --split and --fold to evaluate the baselines")
    train_subjects, test_subjects = fold_subjects(corpus_dir, split, fold)
    for folder, info in zip(model_dirs, infos):
        seen = set(info["training_subjects"]) & set(test_subjects)
        if seen:
            raise AgirError(f"{folder} was trained on {len(seen)} subject(s) of {split} fold {fold}'s test side "
                            f"(e.g. {sorted(seen)[0]}); evaluate it on the fold it held out ({info['split']} fold {info['fold']})")  # fmt: skip
    records = [r for r in read_jsonl(corpus_dir / "walks.jsonl") if r["score"] is not None]
    test = _cap_per_subject([r for r in records if r["subject"] in set(test_subjects)], max_walks_per_subject)
    train = [r for r in records if r["subject"] in set(train_subjects)]
    if not test or not train:
        raise AgirError(f"{corpus_dir}: {split} fold {fold} has {len(train)} labelled training and {len(test)} test walks")
    truth = [r["score"] for r in test]
    methods: dict[str, dict] = {}
    timings: dict[str, float] = {}
    for folder in model_dirs:
        started = time.perf_counter()
        lm = AgirLM(folder, precision)
        ids = walk_motion_ids([r["file"] for r in test], lm.motion_tokenizer, lm.config)
        preds, faith, rows = [], [], []
        for i in range(0, len(test), batch):
            chunk = test[i : i + batch]
            answers = lm.assess(ids[i : i + batch], [r["parameters"] for r in chunk])
            for r, a in zip(chunk, answers):
                preds.append(a["score"])
                _, f = check_rationale(a["rationale"], r["parameters"])
                if lm.config.answer == "rationale":
                    faith.append(0.0 if f is None else f)  # a rationale without a checkable claim backs nothing
                rows.append({"walk_id": r["walk_id"], "score": r["score"], "predicted": a["score"],
                             "probabilities": a["probabilities"], "faithfulness": f, "rationale": a["rationale"]})  # fmt: skip
            if progress:
                progress(Path(folder).name, min(i + batch, len(test)), len(test))
        name = f"AGIR {lm.config.answer} ({Path(folder).name})"
        metrics = score_metrics(truth, preds)
        metrics["faithfulness"] = float(np.mean(faith)) if faith else None
        metrics["rationales_without_claims"] = sum(1 for row in rows if lm.config.answer == "rationale" and row["faithfulness"] is None)
        metrics["predictions"] = rows
        methods[name] = metrics
        timings[name] = time.perf_counter() - started
    if baselines:
        started = time.perf_counter()
        methods["majority class"] = score_metrics(truth, majority([r["score"] for r in train], len(test)))
        methods["gait parameters + random forest"] = score_metrics(truth, random_forest(train, test))
        timings["random forest"] = time.perf_counter() - started
        started = time.perf_counter()
        if progress:
            progress("skeleton classifier", 0, 1)
        predicted = skeleton_classifier(_features(train), [r["score"] for r in train], _features(test), skeleton)
        methods["skeleton temporal-conv classifier"] = score_metrics(truth, predicted)
        timings["skeleton classifier"] = time.perf_counter() - started
    return {"corpus": str(corpus_dir), "split": split, "fold": fold, "test_subjects": len({r["subject"] for r in test}),
            "test_walks": len(test), "train_subjects": len(train_subjects), "train_walks": len(train),
            "max_walks_per_subject": max_walks_per_subject, "models": [str(m) for m in model_dirs],
            "seconds": timings, "methods": methods, "markdown": markdown_table(methods)}  # fmt: skip
