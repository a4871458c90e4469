"""How an MDS-UPDRS 3.10 score becomes kinematic impairment parameters (the generator's label model).

A score is a clinical judgement, not a threshold, so labels and parameters are linked through a latent
severity rather than fixed bins:

1. each subject gets a latent severity ``z = score + N(0, 0.42)`` (so a "high 1" and a "low 2" overlap);
2. each impairment dimension gets its own subject-level offset ``N(0, 0.6)`` (a phenotype: one patient
   mainly loses arm swing, another mainly shortens the stride) and a small per-walk offset;
3. each dimension's value is read off the anchor table below at its own severity, by linear interpolation
   between the anchors at z = 0, 1, 2, 3 (extrapolated a little beyond), plus subject style.

The anchors follow ../shared/notes/gait-reference.md sections 2.2 and 4.3 (an engineering prior from the
literature, not a measured calibration). Score 3 (needs an aid) adds, for about half the subjects, a
walker-like arm posture (hands held forward at hip height, no swing).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from agir.synth.body import BodyDimensions

SUBJECT_SEVERITY_SD = 0.42
PHENOTYPE_SD = 0.6
WALK_SEVERITY_SD = 0.08
Z_RANGE = (-0.6, 3.6)

ANCHORS: dict[str, tuple[float, float, float, float]] = {
    "stride_per_height": (0.80, 0.66, 0.50, 0.33),  # stride length / body height
    "cadence_steps_per_min": (108.0, 108.0, 112.0, 114.0),
    "arm_swing_affected": (1.0, 0.55, 0.3, 0.08),  # fraction of the subject's healthy wrist excursion
    "arm_swing_other": (1.0, 0.85, 0.5, 0.15),
    "elbow_flexion_deg": (0.0, 8.0, 18.0, 30.0),  # added to the subject's resting elbow flexion
    "toe_lift_m": (0.11, 0.085, 0.055, 0.03),  # swing toe-lift bump
    "heel_strike_deg": (20.0, 14.0, 6.0, 0.0),  # foot pitch at initial contact, toe up
    "push_off_deg": (25.0, 18.0, 10.0, 5.0),  # heel-rise pitch at toe off
    "trunk_flexion_deg": (1.0, 8.0, 16.0, 27.0),
    "neck_flexion_deg": (0.0, 5.0, 10.0, 15.0),
    "knee_flexion_deg": (4.0, 7.0, 11.0, 16.0),  # flexed-posture knee bend in stance
    "turn_steps": (3.0, 5.0, 7.0, 10.0),
    "turn_duration_s": (1.8, 2.8, 4.3, 6.0),
    "en_bloc": (0.0, 0.3, 0.7, 1.0),  # 0: head and trunk lead the pelvis into a turn, 1: all turn together
    "stride_time_cv_pct": (1.8, 2.8, 4.2, 6.0),
    "stance_fraction": (0.61, 0.63, 0.66, 0.69),
}
"""Impairment value at latent severity z = 0, 1, 2, 3 (units in the names)."""

LIMITS: dict[str, tuple[float, float]] = {
    "stride_per_height": (0.15, 0.95), "cadence_steps_per_min": (80.0, 135.0), "arm_swing_affected": (0.0, 1.15),
    "arm_swing_other": (0.0, 1.15), "elbow_flexion_deg": (0.0, 45.0), "toe_lift_m": (0.015, 0.14),
    "heel_strike_deg": (0.0, 25.0), "push_off_deg": (2.0, 30.0), "trunk_flexion_deg": (-3.0, 40.0),
    "neck_flexion_deg": (0.0, 25.0), "knee_flexion_deg": (2.0, 22.0), "turn_steps": (2.0, 14.0),
    "turn_duration_s": (1.3, 8.0), "en_bloc": (0.0, 1.0), "stride_time_cv_pct": (1.0, 9.0),
    "stance_fraction": (0.58, 0.74),
}  # fmt: skip


def anchor_value(name: str, z: float) -> float:
    """Value of impairment ``name`` at latent severity ``z`` (linear between anchors, clipped to limits)."""
    values = ANCHORS[name]
    if z <= 0:
        v = values[0] + (values[1] - values[0]) * z
    elif z >= 3:
        v = values[3] + (values[3] - values[2]) * (z - 3)
    else:
        v = float(np.interp(z, [0, 1, 2, 3], values))
    low, high = LIMITS[name]
    return float(np.clip(v, low, high))


@dataclass
class SubjectProfile:
    """One synthetic subject: label, latent severity, phenotype and personal style."""

    subject_id: str
    score: int
    latent_severity: float
    height_m: float
    phenotype: dict[str, float]
    speed_style: float  # multiplies the stride length
    cadence_style: float  # added steps/min
    step_width_m: float
    healthy_arm_swing_m: float  # wrist excursion this person would have when healthy
    resting_elbow_deg: float
    arm_abduction_deg: float
    trunk_style_deg: float
    affected_side: str
    walker_posture: bool
    tremor_amplitude_m: float  # 0 = no tremor
    tremor_hz: float
    festination_propensity: float
    body_seed: int

    def body(self) -> BodyDimensions:
        return BodyDimensions.from_height(self.height_m, np.random.default_rng(self.body_seed))


def draw_subject(rng: np.random.Generator, subject_id: str, score: int) -> SubjectProfile:
    """A random subject with MDS-UPDRS 3.10 ``score`` (0-3)."""
    if score not in (0, 1, 2, 3):
        raise ValueError(f"synthetic scores are 0-3, got {score}")
    z = float(np.clip(score + rng.normal(0, SUBJECT_SEVERITY_SD), *Z_RANGE))
    phenotype = {name: float(rng.normal(0, PHENOTYPE_SD)) for name in ANCHORS}
    tremor = rng.random() < 0.05 + 0.15 * max(z, 0)
    return SubjectProfile(
        subject_id=subject_id,
        score=score,
        latent_severity=z,
        height_m=float(np.clip(rng.normal(1.70, 0.09), 1.5, 1.95)),
        phenotype=phenotype,
        speed_style=float(np.clip(rng.normal(1.0, 0.06), 0.85, 1.15)),
        cadence_style=float(rng.normal(0, 5.0 + 3.0 * max(z - 2.0, 0.0))),
        step_width_m=float(rng.uniform(0.07, 0.14)),
        healthy_arm_swing_m=float(np.clip(rng.normal(0.32, 0.05), 0.22, 0.45)),
        resting_elbow_deg=float(rng.uniform(10, 25)),
        arm_abduction_deg=float(rng.uniform(6, 12)),
        trunk_style_deg=float(rng.normal(0, 2.5)),
        affected_side=str(rng.choice(["left", "right"])),
        walker_posture=bool(score == 3 and rng.random() < 0.5),
        tremor_amplitude_m=float(rng.uniform(0.005, 0.03)) if tremor else 0.0,
        tremor_hz=float(rng.uniform(4.0, 6.0)),
        festination_propensity=float(np.clip(0.35 * (z - 1.4), 0.0, 0.7)),
        body_seed=int(rng.integers(2**31)),
    )


@dataclass
class WalkSpec:
    """Everything that defines one synthetic walk, before it is turned into joint positions."""

    subject: SubjectProfile
    walk_index: int
    fps: float
    impairment: dict[str, float]
    stride_length_m: float
    cadence_steps_per_min: float
    arm_swing_m: dict[str, float]
    outbound_m: float
    return_m: float
    turn_left: bool
    stand_before_s: float
    stand_after_s: float
    festination_steps: int
    jitter_m: float
    global_yaw_deg: float
    global_tilt_deg: tuple[float, float]
    global_offset_m: tuple[float, float, float]
    seed: int
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["subject"] = {k: v for k, v in out["subject"].items() if k not in ("phenotype", "body_seed")}
        return out


FPS_CHOICES = (20.0, 25.0, 30.0, 50.0, 60.0, 100.0, 120.0)


def draw_walk(rng: np.random.Generator, subject: SubjectProfile, walk_index: int, fps: float | None = None) -> WalkSpec:
    """One walk of ``subject``: impairment values at this walk's severity plus nuisance variation."""
    z_walk = subject.latent_severity + rng.normal(0, WALK_SEVERITY_SD)
    impairment = {
        name: anchor_value(name, z_walk + subject.phenotype[name] + rng.normal(0, 0.05)) for name in ANCHORS
    }
    impairment["trunk_flexion_deg"] += subject.trunk_style_deg
    speed = float(rng.normal(1.0, 0.04))
    stride = impairment["stride_per_height"] * subject.height_m * subject.speed_style * speed
    cadence = float(np.clip(impairment["cadence_steps_per_min"] + subject.cadence_style + 40.0 * (speed - 1.0), 75, 140))
    affected = subject.affected_side
    other = "right" if affected == "left" else "left"
    # wrist excursion scales with speed (about 0.28 m at 1.2 m/s for a 1.7 m adult)
    speed_scale = float(np.clip((stride * cadence / 120) / 1.25, 0.4, 1.3)) ** 0.5
    arm = {
        affected: subject.healthy_arm_swing_m * impairment["arm_swing_affected"] * speed_scale,
        other: subject.healthy_arm_swing_m * max(impairment["arm_swing_other"], impairment["arm_swing_affected"])
        * speed_scale,
    }
    if subject.walker_posture:
        arm = {"left": 0.0, "right": 0.0}
    festination = 0
    if rng.random() < subject.festination_propensity:
        festination = int(rng.integers(4, 9))
    outbound = float(rng.uniform(8.5, 11.5))
    jitter = float(rng.uniform(0.01, 0.02)) if rng.random() < 0.6 else float(rng.uniform(0.0, 0.003))
    return WalkSpec(
        subject=subject,
        walk_index=walk_index,
        fps=float(fps) if fps else float(rng.choice(FPS_CHOICES)),
        impairment=impairment,
        stride_length_m=float(stride),
        cadence_steps_per_min=cadence,
        arm_swing_m=arm,
        outbound_m=outbound,
        return_m=float(outbound + rng.uniform(-0.8, 0.8)),
        turn_left=bool(rng.random() < 0.5),
        stand_before_s=float(rng.uniform(0.3, 1.5)),
        stand_after_s=float(rng.uniform(0.3, 1.5)),
        festination_steps=festination,
        jitter_m=jitter,
        global_yaw_deg=float(rng.uniform(0, 360)),
        global_tilt_deg=(float(rng.uniform(-1.5, 1.5)), float(rng.uniform(-1.5, 1.5))),
        global_offset_m=(float(rng.uniform(-3, 3)), float(rng.uniform(-0.02, 0.02)), float(rng.uniform(-3, 3))),
        seed=int(rng.integers(2**31)),
    )
