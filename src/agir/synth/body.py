"""Anthropometry of a synthetic walker: segment lengths (metres) as fractions of body height.

Fractions follow Boulic et al. 1990 / Winter (../shared/notes/gait-reference.md section 4.2) with the
joint-centre geometry of the SMPL template (hip centres about 0.08 x height apart, shoulder centres about
0.2 x height apart). Every bone keeps its length for the whole walk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BodyDimensions:
    """Segment lengths and offsets of one subject (metres)."""

    height_m: float
    thigh_m: float
    shank_m: float
    hip_half_width_m: float
    hip_below_pelvis_m: float
    spine_segments_m: tuple[float, float, float, float]  # pelvis->spine1->spine2->spine3->neck
    neck_to_head_m: float
    collar_lateral_m: float
    collar_up_m: float
    shoulder_lateral_m: float
    shoulder_up_m: float
    upper_arm_m: float
    forearm_m: float
    ankle_height_m: float
    heel_to_ankle_m: float
    heel_to_toe_m: float
    toe_height_m: float

    @classmethod
    def from_height(cls, height_m: float, rng: np.random.Generator | None = None) -> BodyDimensions:
        """Dimensions for a body ``height_m`` tall; ``rng`` adds up to about 3 % individual variation per
        segment group (leg, trunk, arm)."""
        h = float(height_m)
        leg, trunk, arm = (1.0, 1.0, 1.0) if rng is None else tuple(1.0 + rng.normal(0, 0.015, 3).clip(-0.03, 0.03))
        return cls(
            height_m=h,
            thigh_m=0.245 * h * leg,
            shank_m=0.246 * h * leg,
            hip_half_width_m=0.041 * h,
            hip_below_pelvis_m=0.045 * h,
            spine_segments_m=tuple(f * h * trunk for f in (0.063, 0.077, 0.032, 0.118)),
            neck_to_head_m=0.055 * h,
            collar_lateral_m=0.02 * h,
            collar_up_m=0.05 * h * trunk,
            shoulder_lateral_m=0.1 * h,
            shoulder_up_m=0.055 * h * trunk,
            upper_arm_m=0.172 * h * arm,
            forearm_m=0.148 * h * arm,
            ankle_height_m=0.045 * h,
            heel_to_ankle_m=0.03 * h,
            heel_to_toe_m=0.10 * h,
            toe_height_m=0.012 * h,
        )

    @property
    def leg_m(self) -> float:
        """Thigh + shank (hip centre to ankle centre with a straight knee)."""
        return self.thigh_m + self.shank_m

    @property
    def standing_pelvis_height_m(self) -> float:
        """Pelvis joint height above the floor when standing upright with straight legs."""
        return self.ankle_height_m + self.leg_m + self.hip_below_pelvis_m

    def foot_points(self) -> dict[str, np.ndarray]:
        """Heel, ankle and toe-base points in the foot's own frame: (forward, up) metres, heel on the floor."""
        return {
            "heel": np.array([0.0, 0.0]),
            "ankle": np.array([self.heel_to_ankle_m, self.ankle_height_m]),
            "toe": np.array([self.heel_to_toe_m, self.toe_height_m]),
        }
