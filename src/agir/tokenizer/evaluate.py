"""How well the tokenizer preserves a walk: MPJPE after root alignment, codebook use, and the drift of
the gait parameters measured on the reconstruction (cadence, stride length, arm swing, trunk flexion).

MPJPE is the mean joint-position error (mm) of the 21 non-root joints relative to the root, in the body's
heading frame (root position and heading aligned per frame). The gait parameters are measured on the
joints recovered from the features, so they include the integrated path (stride length, turns).
"""

from __future__ import annotations

import numpy as np

from agir.errors import AgirError
from agir.gait import analyze_motion
from agir.skeleton import Motion, MotionSource, canonicalise
from agir.tokenizer.data import WalkFeatures
from agir.tokenizer.features import RIC, features_to_joints
from agir.tokenizer.model import MotionTokenizer

TOLERANCE = {"cadence_pct": 3.0, "stride_length_pct": 5.0, "arm_swing_pct": 10.0, "trunk_flexion_deg": 3.0}
"""Largest acceptable drift of each parameter (issue 4)."""


def joints_motion(joints: np.ndarray, fps: float, name: str) -> Motion:
    """A canonical Motion (floor at 0) from decoded joints."""
    return canonicalise(joints, np.ones(joints.shape[1], bool), fps, MotionSource(name, "tokens", "smpl22", "m", []),
                        detect_up_axis=False)  # fmt: skip


def _drift(original: Motion, recon: Motion) -> dict[str, float] | None:
    try:
        a, b = analyze_motion(original).parameters, analyze_motion(recon).parameters
    except AgirError:
        return None
    arm_a = np.mean([a.arm_swing_m["left"], a.arm_swing_m["right"]])
    arm_b = np.mean([b.arm_swing_m["left"], b.arm_swing_m["right"]])
    return {
        "cadence_pct": abs(b.cadence_steps_per_min / a.cadence_steps_per_min - 1) * 100,
        "stride_length_pct": abs(b.stride_length_m / a.stride_length_m - 1) * 100,
        "arm_swing_pct": abs(arm_b / arm_a - 1) * 100,
        "trunk_flexion_deg": abs(b.trunk_flexion_deg - a.trunk_flexion_deg),
    }


def evaluate_tokenizer(model: MotionTokenizer, walks: list[WalkFeatures], with_drift: bool = True) -> dict:
    """Metrics on ``walks`` (which should be of subjects the model never saw)."""
    if not walks:
        raise AgirError("no walks to evaluate on")
    fps = model.config.fps
    errors, ids_all, drifts, failed = [], [], [], 0
    for walk in walks:
        ids = model.encode(walk.features)
        recon = model.decode(ids, len(walk.features))
        ids_all.append(ids)
        # root alignment: joints relative to the root in the body's heading frame (features 4-66), so the
        # pose error is not mixed with drift of the integrated path and heading
        local0, local1 = walk.features[:, RIC].reshape(-1, 21, 3), recon[:, RIC].reshape(-1, 21, 3)
        errors.append(np.linalg.norm(local1 - local0, axis=-1).mean() * 1000)
        j0, j1 = features_to_joints(walk.features), features_to_joints(recon)
        if with_drift:
            d = _drift(joints_motion(j0, fps, walk.walk_id), joints_motion(j1, fps, walk.walk_id + " (tokens)"))
            if d is None:
                failed += 1
            else:
                drifts.append(d)
    counts = np.bincount(np.concatenate(ids_all), minlength=model.config.vocabulary_size)
    p = counts[counts > 0] / counts.sum()
    out = {
        "walks": len(walks),
        "mpjpe_mm": float(np.mean(errors)),
        "codebook_usage": float((counts > 0).mean()),
        "perplexity": float(np.exp(-(p * np.log(p)).sum())),
    }
    if with_drift:
        drift = {k: float(np.mean([d[k] for d in drifts])) if drifts else None for k in TOLERANCE}
        drift["within_tolerance"] = float(np.mean([all(d[k] <= TOLERANCE[k] for k in TOLERANCE) for d in drifts])) if drifts else 0.0
        drift["not_measurable"] = failed
        out["param_drift"] = drift
    return out
