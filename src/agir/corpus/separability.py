"""How separable the scores of a corpus are from its measured gait parameters alone.

A random forest on the flat parameters, trained and tested on the corpus's subject-wise folds, against
the majority class and the best single-parameter rule (a depth-limited tree on one parameter, i.e. a few
thresholds). A generator whose scores one threshold separates would make the task trivial; one that no
classifier separates would carry no signal. Uses scikit-learn (imported on call).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from agir.corpus.measures import MEASURES
from agir.errors import AgirError

FEATURES = tuple(MEASURES)


def load_corpus_walks(corpus_dir: str | Path) -> tuple[list[dict], dict]:
    """Records of ``walks.jsonl`` and the splits of a corpus folder."""
    corpus_dir = Path(corpus_dir)
    for name in ("walks.jsonl", "splits.json"):
        if not (corpus_dir / name).exists():
            raise AgirError(f"{corpus_dir}: no {name}; expected a folder written by agir corpus")
    with (corpus_dir / "walks.jsonl").open() as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    return records, json.loads((corpus_dir / "splits.json").read_text())


def feature_matrix(records: list[dict]) -> np.ndarray:
    """N x F parameters (NaN where not measured), columns in FEATURES order."""
    return np.array([[np.nan if r["parameters"].get(f) is None else r["parameters"][f] for f in FEATURES]
                     for r in records], dtype=np.float64)  # fmt: skip


def classification_metrics(y_true: list[int], y_pred: list[int], labels: list[int]) -> dict:
    from sklearn.metrics import accuracy_score, balanced_accuracy_score, confusion_matrix, f1_score

    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "balanced_accuracy": float(balanced_accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        "per_class_f1": {str(k): float(v) for k, v in
                         zip(labels, f1_score(y_true, y_pred, labels=labels, average=None, zero_division=0))},
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }  # fmt: skip


def separability(corpus_dir: str | Path, split: str = "kfold5", seed: int = 0) -> dict:
    """Out-of-fold metrics of the random forest, the best single parameter and the majority class."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.tree import DecisionTreeClassifier

    records, splits = load_corpus_walks(corpus_dir)
    if split not in splits:
        raise AgirError(f"{corpus_dir}: split '{split}' not in splits.json (has {', '.join(splits)})")
    labelled = [i for i, r in enumerate(records) if r["score"] is not None]
    x_all = feature_matrix(records)
    y_all = np.array([-1 if r["score"] is None else r["score"] for r in records])
    subjects = np.array([r["subject"] for r in records])
    labels = sorted({int(y_all[i]) for i in labelled})
    predictions: dict[str, dict[int, int]] = {"random_forest": {}, "majority": {}}
    single: dict[str, dict[int, int]] = {f: {} for f in FEATURES}
    for fold in splits[split]["folds"]:
        train = [i for i in labelled if subjects[i] in set(fold["train_subjects"])]
        test = [i for i in labelled if subjects[i] in set(fold["test_subjects"])]
        if not train or not test:
            continue
        forest = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True),
                               RandomForestClassifier(n_estimators=300, random_state=seed, n_jobs=1))  # fmt: skip
        forest.fit(x_all[train], y_all[train])
        predictions["random_forest"].update(zip(test, forest.predict(x_all[test]).tolist()))
        majority = int(np.bincount(y_all[train]).argmax())
        predictions["majority"].update({i: majority for i in test})
        for j, name in enumerate(FEATURES):
            column = x_all[:, [j]]
            tree = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True),
                                 DecisionTreeClassifier(max_leaf_nodes=len(labels), random_state=seed))  # fmt: skip
            tree.fit(column[train], y_all[train])
            single[name].update(zip(test, tree.predict(column[test]).tolist()))
    order = sorted(predictions["random_forest"])
    truth = [int(y_all[i]) for i in order]
    result = {name: classification_metrics(truth, [pred[i] for i in order], labels) for name, pred in predictions.items()}
    single_scores = {name: classification_metrics(truth, [pred[i] for i in order], labels)["macro_f1"]
                     for name, pred in single.items() if len(pred) == len(order)}  # fmt: skip
    best = max(single_scores, key=single_scores.get)
    result["best_single_parameter"] = {"parameter": best, **classification_metrics(truth, [single[best][i] for i in order], labels)}
    result["single_parameter_macro_f1"] = dict(sorted(single_scores.items(), key=lambda kv: -kv[1]))
    result["walks"], result["subjects"], result["split"], result["labels"] = len(order), len(set(subjects[order])), split, labels
    result["chance_macro_f1"] = 1.0 / len(labels)
    return result
