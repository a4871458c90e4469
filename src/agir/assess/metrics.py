"""Score metrics: accuracy, macro-F1 over 0-3 and over 0-2 (the CARE-PD convention), per-class
precision/recall/F1, quadratic-weighted kappa, within-one accuracy and the confusion matrix."""

from __future__ import annotations

import numpy as np

SCORE_LABELS = (0, 1, 2, 3)


def score_metrics(y_true: list[int], y_pred: list[int]) -> dict:
    """All metrics of predictions against labels. Macro-F1 0-2 averages the F1 of classes 0, 1 and 2 over
    all walks (a walk of score 3 predicted as 2 is a false positive of class 2)."""
    from sklearn.metrics import cohen_kappa_score, confusion_matrix, precision_recall_fscore_support

    t, p = np.asarray(y_true, dtype=int), np.asarray(y_pred, dtype=int)
    labels = sorted(set(SCORE_LABELS) | set(t.tolist()) | set(p.tolist()))
    precision, recall, f1, support = precision_recall_fscore_support(t, p, labels=labels, zero_division=0)
    per_class = {str(k): {"precision": float(pr), "recall": float(rc), "f1": float(f), "support": int(s)}
                 for k, pr, rc, f, s in zip(labels, precision, recall, f1, support)}  # fmt: skip
    kappa = cohen_kappa_score(t, p, labels=labels, weights="quadratic") if len(set(t) | set(p)) > 1 else 1.0
    return {
        "n": int(len(t)),
        "accuracy": float((t == p).mean()),
        "macro_f1_0_3": float(np.mean([per_class[str(k)]["f1"] for k in SCORE_LABELS])),
        "macro_f1_0_2": float(np.mean([per_class[str(k)]["f1"] for k in SCORE_LABELS[:3]])),
        "quadratic_kappa": float(kappa),
        "within_one": float((np.abs(t - p) <= 1).mean()),
        "per_class": per_class,
        "labels": labels,
        "confusion": confusion_matrix(t, p, labels=labels).tolist(),
    }


def markdown_table(methods: dict[str, dict]) -> str:
    """One row per method: the headline metrics (and mean faithfulness where the method has one)."""
    lines = ["| method | accuracy | macro-F1 (0-3) | macro-F1 (0-2) | QW kappa | within one | faithfulness |",
             "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for name, m in methods.items():
        faith = f"{m['faithfulness']:.1%}" if m.get("faithfulness") is not None else "n/a"
        lines.append(f"| {name} | {m['accuracy']:.3f} | {m['macro_f1_0_3']:.3f} | {m['macro_f1_0_2']:.3f} | "
                     f"{m['quadratic_kappa']:.3f} | {m['within_one']:.3f} | {faith} |")  # fmt: skip
    return "\n".join(lines)
