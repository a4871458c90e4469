"""The footstep plan of a walk: where and when each foot lands, for the clinical out-turn-back protocol.

Headings use the analyser's convention: yaw 0 faces +z, forward = (sin yaw, cos yaw) in (x, z) and the
left side is (cos yaw, -sin yaw). A walk is: stand, start with a short step, walk ``outbound_m``, (optionally
festinate: steps shrinking and quickening), turn 180 degrees with ``turn_steps`` steps in
``turn_duration_s`` seconds around a small circle, walk back, close the feet together, stand.

Step times carry white noise whose size gives the requested stride-time CV (a stride is two steps, so the
step CV is sqrt(2) x the stride CV); step lengths carry a smaller noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agir.synth.severity import WalkSpec

SIDES = ("left", "right")


def forward(yaw: np.ndarray | float) -> np.ndarray:
    """Horizontal unit vector(s) (..., 2 as x, z) a body with this yaw (radians) faces."""
    yaw = np.asarray(yaw, dtype=np.float64)
    return np.stack([np.sin(yaw), np.cos(yaw)], axis=-1)


def left_of(yaw: np.ndarray | float) -> np.ndarray:
    """Horizontal unit vector(s) (..., 2 as x, z) to the left of a body with this yaw (radians)."""
    yaw = np.asarray(yaw, dtype=np.float64)
    return np.stack([np.cos(yaw), -np.sin(yaw)], axis=-1)


@dataclass
class Step:
    """One step: ``side`` lands its heel at ``heel_xz`` (m) facing ``yaw`` (rad) at ``strike_s``."""

    side: str
    kind: str  # start, straight, festination, approach, turn, stop
    center_xz: np.ndarray
    yaw: float
    duration_s: float
    heel_xz: np.ndarray | None = None
    strike_s: float = 0.0
    toe_off_s: float = 0.0  # when this foot left the floor for this step


@dataclass
class Stance:
    """One foot's contact with the floor, from heel strike to toe off (seconds; +-inf at the ends)."""

    side: str
    heel_xz: np.ndarray
    yaw: float
    strike_s: float
    flat_s: float
    heel_off_s: float
    toe_off_s: float
    strike_pitch_rad: float
    push_pitch_rad: float
    kind: str


@dataclass
class FootstepPlan:
    steps: list[Step]
    stances: dict[str, list[Stance]]
    start_s: float  # first toe off
    end_s: float  # last heel strike
    duration_s: float
    turn_window_s: tuple[float, float]
    step_width_m: float


def _straight(steps: list[Step], side: int, center: np.ndarray, yaw: float, lengths: list[float],
              times: list[float], kinds: list[str]) -> tuple[np.ndarray, int]:  # fmt: skip
    for length, duration, kind in zip(lengths, times, kinds):
        center = center + length * forward(yaw)
        steps.append(Step(SIDES[side], kind, center, yaw, duration))
        side = 1 - side
    return center, side


def _bout(distance: float, step: float, rng: np.random.Generator, length_cv: float, first: tuple[float, ...],
          last: tuple[float, ...]) -> list[float]:  # fmt: skip
    """Step lengths covering about ``distance`` metres: initiation steps, steady steps, final steps."""
    lengths = [f * step for f in first]
    tail = [f * step for f in last]
    while sum(lengths) + sum(tail) + step < distance:
        lengths.append(step * (1 + rng.normal(0, length_cv)))
    return lengths + tail


def plan_footsteps(spec: WalkSpec, rng: np.random.Generator) -> FootstepPlan:
    """Footsteps and timing for one walk (local frame: starts at the origin facing +z)."""
    imp = spec.impairment
    step = spec.stride_length_m / 2
    step_time = 60.0 / spec.cadence_steps_per_min
    step_cv = np.sqrt(2.0) * imp["stride_time_cv_pct"] / 100.0
    length_cv = 0.015 + 0.008 * max(spec.subject.latent_severity, 0.0)
    width = spec.subject.step_width_m
    steps: list[Step] = []
    side = int(rng.integers(2))
    center, yaw = np.zeros(2), 0.0

    def durations(n: int, scale: float = 1.0) -> list[float]:
        return list(step_time * scale * np.clip(1 + rng.normal(0, step_cv, n), 0.7, 1.4))

    # outbound, with an optional festinating run before the approach to the turn
    lengths = _bout(spec.outbound_m, step, rng, length_cv, (0.55, 0.85), (0.8,))
    kinds = ["start", "start"] + ["straight"] * (len(lengths) - 3) + ["approach"]
    times = durations(len(lengths))
    times[0] *= 1.15
    if spec.festination_steps:
        n = min(spec.festination_steps, len(lengths) - 4)
        shrink, quicken = rng.uniform(0.86, 0.92), rng.uniform(0.93, 0.97)
        for j in range(1, n + 1):
            i = len(lengths) - 1 - n + j - 1
            lengths[i] *= shrink**j
            times[i] *= quicken**j
            kinds[i] = "festination"
    center, side = _straight(steps, side, center, yaw, lengths, times, kinds)

    # 180-degree turn around a small circle
    n_turn = max(2, int(round(imp["turn_steps"])))
    radius = rng.uniform(0.25, 0.4)
    sign = 1.0 if spec.turn_left else -1.0
    pivot = center + sign * radius * left_of(yaw)
    turn_time = imp["turn_duration_s"] / n_turn
    turn_start = len(steps)
    for j in range(1, n_turn + 1):
        heading = yaw + sign * np.pi * j / n_turn
        c = pivot - sign * radius * left_of(heading)
        steps.append(Step(SIDES[side], "turn", c, heading, turn_time * float(np.clip(1 + rng.normal(0, 0.08), 0.8, 1.2))))
        side = 1 - side
    center, yaw = steps[-1].center_xz, steps[-1].yaw

    # walk back, then close the feet together
    lengths = _bout(spec.return_m, step, rng, length_cv, (0.6, 0.85), (0.7,))
    kinds = ["start", "start"] + ["straight"] * (len(lengths) - 3) + ["stop"]
    center, side = _straight(steps, side, center, yaw, lengths, durations(len(lengths)), kinds)
    steps.append(Step(SIDES[side], "stop", center, yaw, step_time * 0.9))

    # times: heel strike of each step; the moving foot leaves the floor one double-support after the
    # previous heel strike
    double_support = 2 * imp["stance_fraction"] - 1
    t = spec.stand_before_s
    previous_strike = t - double_support * steps[0].duration_s
    for s in steps:
        s.toe_off_s = previous_strike + double_support * s.duration_s
        s.strike_s = previous_strike + s.duration_s
        previous_strike = s.strike_s
        s.heel_xz = s.center_xz + (1 if s.side == "left" else -1) * (width / 2) * left_of(s.yaw)
    turn_window = (steps[turn_start].toe_off_s, steps[turn_start + n_turn - 1].strike_s)
    end = steps[-1].strike_s
    return FootstepPlan(
        steps=steps,
        stances=_stances(steps, spec, width, step_time),
        start_s=steps[0].toe_off_s,
        end_s=end,
        duration_s=end + spec.stand_after_s,
        turn_window_s=turn_window,
        step_width_m=width,
    )


def _stances(steps: list[Step], spec: WalkSpec, width: float, step_time: float) -> dict[str, list[Stance]]:
    imp = spec.impairment
    strike = np.radians(imp["heel_strike_deg"])
    push = np.radians(imp["push_off_deg"])
    toe_out = np.radians(6.0)
    stances: dict[str, list[Stance]] = {}
    for side in SIDES:
        sign = 1 if side == "left" else -1
        heel0 = sign * (width / 2) * left_of(0.0)
        own = [s for s in steps if s.side == side]
        rows = [(heel0, 0.0, -np.inf, "stand")] + [(s.heel_xz, s.yaw, s.strike_s, s.kind) for s in own]
        toe_offs = [s.toe_off_s for s in own] + [np.inf]
        out = []
        for (heel, yaw, t_strike, kind), t_off in zip(rows, toe_offs):
            stride = 2 * step_time
            loading = 0.12 * stride * (imp["heel_strike_deg"] / 20.0) if np.isfinite(t_strike) else 0.0
            rise = 0.25 * stride * min(imp["push_off_deg"] / 25.0, 1.0) if np.isfinite(t_off) else 0.0
            if np.isfinite(t_strike) and np.isfinite(t_off):
                contact = t_off - t_strike
                loading = min(loading, 0.3 * contact)
                rise = min(rise, 0.45 * contact)
            flat = t_strike + loading if np.isfinite(t_strike) else -np.inf
            out.append(Stance(side, heel, yaw + sign * toe_out, t_strike, flat, t_off - rise, t_off,
                              strike if loading > 0 else 0.0, push, kind))  # fmt: skip
        stances[side] = out
    return stances
