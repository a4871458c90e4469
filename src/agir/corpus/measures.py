"""The measured parameters of a walk as one flat record, and how each value is judged against its
healthy range (direction and degree). Every claim in the corpus texts rests on one of these."""

from __future__ import annotations

from dataclasses import dataclass

from agir.gait.analysis import GaitParameters
from agir.gait.norms import NORMAL_RANGES

DEGREES = ("slight", "moderate", "marked")


@dataclass(frozen=True)
class Measure:
    """A flat measure: its healthy range (``range_key`` in NORMAL_RANGES), how it is shown in text
    (``scale`` x value in ``unit`` with ``digits`` decimals) and how the degree of deviation is graded."""

    name: str
    range_key: str
    unit: str
    scale: float = 1.0
    digits: int = 2
    side: str | None = None
    absolute_degree: tuple[float, float] | None = None  # deviation limits for slight / moderate (in value units)
    low_is_normal: bool = False  # a turn that is quicker than the range is not abnormal

    @property
    def low(self) -> float:
        return NORMAL_RANGES[self.range_key].low

    @property
    def high(self) -> float:
        return NORMAL_RANGES[self.range_key].high

    def show(self, value: float) -> str:
        """Value in display units, e.g. '0.82 m/s' or '12 cm'."""
        shown = round(value * self.scale, self.digits)
        text = f"{shown:.{self.digits}f}" if self.digits else f"{int(round(shown))}"
        if self.unit == "%":
            return f"{text}%"
        return f"{text} {'step' if self.unit == 'steps' and text == '1' else self.unit}"

    def show_range(self) -> str:
        low = self.low * self.scale
        high = self.high * self.scale
        fmt = (lambda v: f"{v:.{self.digits}f}") if self.digits else (lambda v: f"{int(round(v))}")
        joint = " to " if low < 0 else "-"
        return f"{fmt(low)}{joint}{fmt(high)}" + ("%" if self.unit == "%" else f" {self.unit}")

    def rounded(self, value: float) -> float:
        """``value`` rounded as it is shown in text (SI units), so a judgement matches the shown number."""
        return round(value * self.scale, self.digits) / self.scale

    def judge(self, value: float) -> tuple[str, str | None]:
        """(``low`` | ``normal`` | ``high``, degree ``slight`` | ``moderate`` | ``marked`` or None) of the value
        as shown (rounded), so '10%' is never called above a 0-10% range."""
        value = self.rounded(value)
        if value < self.low and not self.low_is_normal:
            if self.absolute_degree:
                return "low", _grade(self.low - value, self.absolute_degree)
            return "low", _grade(1 - value / self.low, (0.15, 0.4)) if self.low > 0 else "slight"
        if value > self.high:
            if self.absolute_degree:
                return "high", _grade(value - self.high, self.absolute_degree)
            return "high", _grade(value / self.high - 1 if self.high > 0 else value, (0.25, 0.75))
        return "normal", None


def _grade(deviation: float, limits: tuple[float, float]) -> str:
    return DEGREES[0] if deviation <= limits[0] else DEGREES[1] if deviation <= limits[1] else DEGREES[2]


MEASURES: dict[str, Measure] = {m.name: m for m in (
    Measure("speed_m_s", "speed_m_s", "m/s", digits=2),
    Measure("stride_length_m", "stride_length_m", "m", digits=2),
    Measure("step_length_m", "step_length_m", "m", digits=2),
    Measure("cadence_steps_per_min", "cadence_steps_per_min", "steps/min", digits=0),
    Measure("step_width_m", "step_width_m", "cm", scale=100, digits=0),
    Measure("stride_time_cv_pct", "stride_time_cv_pct", "%", digits=1),
    Measure("double_support_pct", "double_support_pct", "%", digits=0),
    Measure("arm_swing_left_m", "arm_swing_m", "cm", scale=100, digits=0, side="left"),
    Measure("arm_swing_right_m", "arm_swing_m", "cm", scale=100, digits=0, side="right"),
    Measure("arm_swing_asymmetry_pct", "arm_swing_asymmetry_pct", "%", digits=0),
    Measure("foot_clearance_left_m", "foot_clearance_m", "cm", scale=100, digits=0, side="left"),
    Measure("foot_clearance_right_m", "foot_clearance_m", "cm", scale=100, digits=0, side="right"),
    Measure("trunk_flexion_deg", "trunk_flexion_deg", "deg", digits=0, absolute_degree=(5.0, 15.0)),
    Measure("turn_steps", "turn_steps", "steps", digits=0, low_is_normal=True),
    Measure("turn_duration_s", "turn_duration_s", "s", digits=1, low_is_normal=True),
)}  # fmt: skip
"""Every flat measure, by name."""


def main_turn(params: GaitParameters) -> dict | None:
    """The walk's main turn (the largest; the protocol's 180-degree turn), or None."""
    return max(params.turns, key=lambda t: t["angle_deg"]) if params.turns else None


def flat_parameters(params: GaitParameters) -> dict[str, float | None]:
    """All MEASURES as name -> value in SI units (None where not measurable), plus counts."""
    turn = main_turn(params)
    out: dict[str, float | None] = {
        "speed_m_s": params.speed_m_s,
        "stride_length_m": params.stride_length_m,
        "step_length_m": params.step_length_m,
        "cadence_steps_per_min": params.cadence_steps_per_min,
        "step_width_m": params.step_width_m,
        "stride_time_cv_pct": params.stride_time_cv_pct,
        "double_support_pct": params.double_support_pct,
        "arm_swing_left_m": params.arm_swing_m.get("left"),
        "arm_swing_right_m": params.arm_swing_m.get("right"),
        "arm_swing_asymmetry_pct": params.arm_swing_asymmetry_pct,
        "foot_clearance_left_m": params.foot_clearance_m.get("left"),
        "foot_clearance_right_m": params.foot_clearance_m.get("right"),
        "trunk_flexion_deg": params.trunk_flexion_deg,
        "turn_steps": float(turn["steps"]) if turn else None,
        "turn_duration_s": float(turn["duration_s"]) if turn else None,
        "turn_angle_deg": float(turn["angle_deg"]) if turn else None,
        "n_turns": float(len(params.turns)),
        "n_strides": float(params.n_strides),
        "duration_s": params.duration_s,
    }
    return {k: (round(float(v), 5) if v is not None else None) for k, v in out.items()}
