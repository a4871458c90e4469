"""The measured parameters as display rows (label, value, healthy range, judgement), for tables and reports."""

from __future__ import annotations

from dataclasses import dataclass

from agir.gait.analysis import GaitParameters
from agir.gait.norms import NORMAL_RANGES

_SCALAR_ORDER = (
    "speed_m_s", "stride_length_m", "step_length_m", "cadence_steps_per_min", "step_width_m",
    "stride_time_cv_pct", "double_support_pct",
)  # fmt: skip
_DIGITS = {"m/s": 2, "m": 2, "steps/min": 1, "%": 1, "% of stride": 1, "deg": 1, "s": 1, "steps": 0}


@dataclass
class ParameterRow:
    """One displayable parameter. ``status`` is ``normal``, ``low``, ``high`` or ``n/a``."""

    name: str
    label: str
    value: str
    normal_range: str
    status: str


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    return f"{value:.{_DIGITS.get(unit, 2)}f}"


def _why(params: GaitParameters, name: str) -> str:
    return f"n/a ({params.unavailable.get(name, 'not measured')})"


def _range(name: str) -> str:
    r = NORMAL_RANGES[name]
    return f"{_fmt(r.low, r.unit)}-{_fmt(r.high, r.unit)} {r.unit}"


def _worst(statuses: list[str]) -> str:
    for s in ("low", "high", "normal"):
        if s in statuses:
            return s
    return "n/a"


def parameter_rows(params: GaitParameters) -> list[ParameterRow]:
    """Rows for every summary parameter; left/right values side by side in one row."""
    rows = []
    for name in _SCALAR_ORDER:
        r = NORMAL_RANGES[name]
        value = getattr(params, name)
        shown = f"{_fmt(value, r.unit)} {r.unit}" if value is not None else _why(params, name)
        rows.append(ParameterRow(name, r.label, shown, _range(name), r.judge(value)))
    for name in ("arm_swing_m", "foot_clearance_m"):
        r = NORMAL_RANGES[name]
        sides = getattr(params, name)
        if name in params.unavailable:
            shown, status = _why(params, name), "n/a"
        else:
            shown = f"L {_fmt(sides['left'], r.unit)} / R {_fmt(sides['right'], r.unit)} {r.unit}"
            status = _worst([r.judge(sides["left"]), r.judge(sides["right"])])
        rows.append(ParameterRow(name, r.label + " L/R", shown, _range(name) + " each", status))
    for name in ("arm_swing_asymmetry_pct", "trunk_flexion_deg"):
        r = NORMAL_RANGES[name]
        value = getattr(params, name)
        shown = f"{_fmt(value, r.unit)} {r.unit}" if value is not None else _why(params, name)
        rows.append(ParameterRow(name, r.label, shown, _range(name), r.judge(value)))
    for i, turn in enumerate(params.turns, start=1):
        steps, duration = NORMAL_RANGES["turn_steps"], NORMAL_RANGES["turn_duration_s"]
        status = _worst([steps.judge(turn["steps"]), duration.judge(turn["duration_s"])])
        rows.append(ParameterRow(
            f"turn_{i}", f"turn {i} ({turn['angle_deg']:.0f} deg at {turn['start_s']:.1f} s)",
            f"{turn['steps']} step{'s' if turn['steps'] != 1 else ''} in {turn['duration_s']:.1f} s",
            f"<= {steps.high:.0f} steps, <= {duration.high:.1f} s", status,
        ))  # fmt: skip
    return rows
