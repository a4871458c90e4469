"""One synthetic walk: plan, joints, ground truth, then the nuisance a real capture would add."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from agir.gait.analysis import arm_swing_of_walk, symmetry_angle_pct
from agir.gait.signals import lowpass
from agir.skeleton import JOINT_INDEX
from agir.synth.footsteps import SIDES, FootstepPlan, plan_footsteps
from agir.synth.kinematics import Kinematics, synthesise
from agir.synth.severity import WalkSpec

JITTER_CUTOFF_HZ = 6.0
TURN_MARGIN_S = 0.25
STEADY_KINDS = ("straight", "festination")


@dataclass
class SyntheticWalk:
    """A generated walk: ``joints`` T x 22 x 3 (metres, y up, as a capture would deliver them), ``fps``,
    the ``ground_truth`` gait parameters (the analyser's definitions, on the clean walk in the generator's
    own frame) and the ``spec`` it came from. ``clean`` holds the noise-free kinematics."""

    joints: np.ndarray
    fps: float
    spec: WalkSpec
    ground_truth: dict
    plan: FootstepPlan
    clean: Kinematics
    meta: dict = field(default_factory=dict)


def generate_walk(spec: WalkSpec, nuisance: bool = True) -> SyntheticWalk:
    """Generate ``spec``; with ``nuisance`` False the joints are the clean local-frame kinematics."""
    rng = np.random.default_rng(spec.seed)
    body = spec.subject.body()
    plan = plan_footsteps(spec, rng)
    kin = synthesise(spec, plan, body)
    truth = ground_truth(spec, plan, kin)
    joints = kin.joints
    if nuisance:
        joints = add_capture_nuisance(joints, spec, rng)
    return SyntheticWalk(joints.astype(np.float32), spec.fps, spec, truth, plan, kin)


def add_capture_nuisance(joints: np.ndarray, spec: WalkSpec, rng: np.random.Generator) -> np.ndarray:
    """Pose-estimation-like jitter (``spec.jitter_m`` RMS per joint, low-passed at 6 Hz), then a global
    yaw, a small tilt and an offset."""
    out = joints.copy()
    if spec.jitter_m > 0:
        noise = lowpass(rng.normal(size=joints.shape), spec.fps, JITTER_CUTOFF_HZ)
        noise *= spec.jitter_m / np.sqrt(np.mean(np.sum(noise**2, axis=-1)))
        out += noise
    yaw = np.radians(spec.global_yaw_deg)
    tx, tz = np.radians(spec.global_tilt_deg)
    ry = np.array([[np.cos(yaw), 0, np.sin(yaw)], [0, 1, 0], [-np.sin(yaw), 0, np.cos(yaw)]])
    rx = np.array([[1, 0, 0], [0, np.cos(tx), -np.sin(tx)], [0, np.sin(tx), np.cos(tx)]])
    rz = np.array([[np.cos(tz), -np.sin(tz), 0], [np.sin(tz), np.cos(tz), 0], [0, 0, 1]])
    return out @ (rz @ rx @ ry).T + np.array(spec.global_offset_m)


def _steady_strides(plan: FootstepPlan) -> list[tuple[str, float, float, np.ndarray, np.ndarray]]:
    """(side, start s, end s, start heel, end heel) of strides whose two steps are steady straight walking
    and that keep clear of the turn."""
    t0, t1 = plan.turn_window_s
    out = []
    for side in SIDES:
        stances = plan.stances[side]
        for a, b in zip(stances[:-1], stances[1:]):
            if not (np.isfinite(a.strike_s) and np.isfinite(b.strike_s)):
                continue
            inside = [s for s in plan.steps if a.strike_s < s.strike_s <= b.strike_s]
            if not all(s.kind in STEADY_KINDS for s in inside) or a.kind not in STEADY_KINDS:
                continue
            if a.strike_s < t1 + TURN_MARGIN_S and b.strike_s > t0 - TURN_MARGIN_S:
                continue
            out.append((side, a.strike_s, b.strike_s, a.heel_xz, b.heel_xz))
    return out


def ground_truth(spec: WalkSpec, plan: FootstepPlan, kin: Kinematics) -> dict:
    """The gait parameters the generator built, in the analyser's definitions and units.

    Timing and distances come from the footstep plan; arm swing (ensemble-averaged stride cycle, as the
    analyser defines it) and foot clearance from the clean joints over the same steady strides, with the
    true events and without capture noise."""
    J = JOINT_INDEX
    fps = spec.fps
    strides = _steady_strides(plan)
    times = np.array([b - a for _, a, b, _, _ in strides])
    lengths = np.array([np.linalg.norm(hb - ha) for _, _, _, ha, hb in strides])
    pelvis = kin.joints[:, J["pelvis"]][:, [0, 2]]
    speeds, clearance = [], {s: [] for s in SIDES}
    arm_cycles: dict[tuple[str, str], list[np.ndarray]] = {(a, f): [] for a in SIDES for f in SIDES}
    for side, a, b, _, _ in strides:
        i0, i1 = int(round(a * fps)), int(round(b * fps))
        step = pelvis[i1] - pelvis[i0]
        speeds.append(np.linalg.norm(step) / (b - a))
        direction = step / np.linalg.norm(step)
        for arm_side in SIDES:
            rel = kin.joints[i0 : i1 + 1, J[f"{arm_side}_wrist"]][:, [0, 2]] - pelvis[i0 : i1 + 1]
            arm_cycles[(arm_side, side)].append(rel @ direction)
        toe = kin.joints[i0 : i1 + 1, J[f"{side}_foot"], 1]
        planted = kin.feet[side].toe_planted[i0 : i1 + 1]
        swing = ~planted & (np.arange(i1 - i0 + 1) > np.argmin(planted))
        if planted.any() and swing.any():
            clearance[side].append(toe[swing].max() - np.median(toe[planted]))
    arm_mean = {a: arm_swing_of_walk({f: arm_cycles[(a, f)] for f in SIDES}) for a in SIDES}
    turn_steps = [s for s in plan.steps if s.kind == "turn"]
    return {
        "speed_m_s": float(np.mean(speeds)),
        "stride_length_m": float(lengths.mean()),
        "cadence_steps_per_min": float(120.0 / times.mean()),
        "stride_time_cv_pct": float(np.std(times, ddof=1) / times.mean() * 100),
        "double_support_pct": float((2 * spec.impairment["stance_fraction"] - 1) * 100),
        "step_width_m": plan.step_width_m,
        "arm_swing_m": arm_mean,
        "arm_swing_asymmetry_pct": symmetry_angle_pct(arm_mean["left"], arm_mean["right"]),
        "foot_clearance_m": {s: float(np.mean(v)) if v else None for s, v in clearance.items()},
        "trunk_flexion_deg": float(np.degrees(kin.trunk_flexion_rad)),
        "turn": {"steps": len(turn_steps), "duration_s": float(plan.turn_window_s[1] - plan.turn_window_s[0]),
                 "angle_deg": 180.0},  # fmt: skip
        "n_strides": len(strides),
        "height_m": spec.subject.height_m,
    }
