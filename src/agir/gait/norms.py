"""Healthy-adult reference ranges for the reported gait parameters (comfortable overground walking).

Sources (see ../shared/notes/gait-reference.md section 2): Bohannon & Andrews 2011 (speed), Hollman 2011
(stride, cadence), Lewek 2010 (arm-swing excursion and asymmetry), Hausdorff 1998 (stride-time CV),
gaitmap healthy sample (toe lift) and the posture literature. Ranges are for adults up to about 80 years;
they are what a measured value is judged against, not diagnostic cut-offs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NormalRange:
    low: float
    high: float
    unit: str
    label: str

    def judge(self, value: float | None) -> str:
        """``low``, ``normal`` or ``high`` (``n/a`` for a missing value)."""
        if value is None:
            return "n/a"
        if value < self.low:
            return "low"
        if value > self.high:
            return "high"
        return "normal"


NORMAL_RANGES: dict[str, NormalRange] = {
    "speed_m_s": NormalRange(1.0, 1.5, "m/s", "gait speed"),
    "stride_length_m": NormalRange(1.1, 1.6, "m", "stride length"),
    "step_length_m": NormalRange(0.55, 0.8, "m", "step length"),
    "cadence_steps_per_min": NormalRange(95, 125, "steps/min", "cadence"),
    "step_width_m": NormalRange(0.05, 0.18, "m", "step width"),
    "stride_time_cv_pct": NormalRange(0.0, 3.0, "%", "stride-time variability (CV)"),
    "double_support_pct": NormalRange(15.0, 30.0, "% of stride", "double support"),
    "arm_swing_m": NormalRange(0.15, 0.5, "m", "arm swing (wrist excursion)"),
    "arm_swing_asymmetry_pct": NormalRange(0.0, 10.0, "%", "arm-swing asymmetry (symmetry angle)"),
    "foot_clearance_m": NormalRange(0.07, 0.2, "m", "foot lift (peak toe rise in swing)"),
    "trunk_flexion_deg": NormalRange(-8.0, 10.0, "deg", "trunk forward flexion"),
    "turn_steps": NormalRange(1, 4, "steps", "steps per 180-degree turn"),
    "turn_duration_s": NormalRange(0.5, 2.5, "s", "180-degree turn duration"),
}
"""Healthy range per parameter name; ``arm_swing_m`` and ``foot_clearance_m`` apply to each side."""
