"""Per-stride and summary gait parameters of a walk (``agir analyze``).

Definitions (../shared/notes/gait-reference.md section 3.3). Summary parameters use *straight, steady*
strides only: strides overlapping a turn (plus 0.25 s either side) are excluded, and so are strides where
the pelvis speed (low-passed at 1 Hz) at either heel strike is under 60 % of the median stride speed
(gait initiation, stopping, the approach to a turn).

* stride time: heel strike to the next heel strike of the same foot (s); cadence = 120 / mean stride time.
* stride length: horizontal distance between the foot's positions in consecutive stances (m).
* step length / width: distance between the two feet's stance positions at heel strike, along /
  across the stride's direction of progression (m).
* speed: horizontal pelvis displacement over the stride / stride time (m/s).
* double support: share of the stride with both feet in contact (%).
* stride-time CV: SD / mean of stride time over straight strides (%, needs 4 strides).
* arm swing: peak-to-peak excursion of wrist - pelvis along the direction of progression (m). Per stride
  it is the excursion within that stride; the walk's value is the excursion of the ensemble-averaged
  stride cycle (straight strides of each foot resampled to 0-100 % and averaged, then the two feet's
  excursions averaged), which keeps pose jitter and rest
  tremor (not phase-locked to the stride) from inflating small swings; asymmetry = symmetry angle |45 - atan(L/R)| / 90 x 100 (%), Zifchock 2008 / Lewek 2010.
* foot clearance: peak rise of the toe-base joint in swing above its height in the preceding stance (m).
* trunk flexion: angle of the pelvis -> neck vector (mid-shoulder if there is no neck joint) from vertical
  in the sagittal plane of the facing direction, positive forward (degrees), mean over straight strides.
  It approximates the consensus L5 -> C7 trunk angle; upright SMPL-like skeletons read about -5 to 0.
* turns: each turn's start, duration, yaw change and the number of heel strikes (both feet) inside it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from agir.errors import AnalysisError
from agir.gait.events import POSITION_CUTOFF_HZ, FootEvents, detect_foot_events
from agir.gait.signals import horizontal, lowpass, unit_heading
from agir.gait.turns import Turn, detect_turns, smoothed_yaw_deg
from agir.skeleton import JOINT_INDEX, Motion

TURN_MARGIN_S = 0.25
STEADY_SPEED_FRACTION = 0.6
SPEED_CUTOFF_HZ = 1.0
MIN_STRIDE_S, MAX_STRIDE_S = 0.4, 4.0
MIN_STRIDES_FOR_CV = 4
SIDES = ("left", "right")


@dataclass
class Stride:
    """One stride of one foot: frames [start, end) between its heel strikes, and what was measured."""

    side: str
    start: int
    end: int
    start_s: float
    time_s: float
    length_m: float
    speed_m_s: float
    straight: bool
    steady: bool = True
    step_length_m: float | None = None
    step_width_m: float | None = None
    double_support_pct: float | None = None
    arm_swing_m: dict[str, float | None] = field(default_factory=dict)
    foot_clearance_m: float | None = None
    trunk_flexion_deg: float | None = None


@dataclass
class GaitParameters:
    """Summary gait parameters of a walk (units in the names); ``None`` where not measurable, with the
    reason in ``unavailable``."""

    speed_m_s: float | None
    stride_length_m: float | None
    step_length_m: float | None
    cadence_steps_per_min: float | None
    step_width_m: float | None
    stride_time_cv_pct: float | None
    double_support_pct: float | None
    arm_swing_m: dict[str, float | None]
    arm_swing_asymmetry_pct: float | None
    foot_clearance_m: dict[str, float | None]
    trunk_flexion_deg: float | None
    n_strides: int
    turns: list[dict[str, float]]
    frames: int
    fps: float
    duration_s: float
    unavailable: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class GaitAnalysis:
    """Everything measured on a walk: summary parameters, strides, events and turns."""

    parameters: GaitParameters
    strides: list[Stride]
    events: dict[str, FootEvents]
    turns: list[Turn]
    trunk_flexion_deg_series: np.ndarray | None

    def to_dict(self, include_strides: bool = True) -> dict:
        out = self.parameters.to_dict()
        if include_strides:
            out["strides"] = [asdict(s) for s in self.strides]
            out["events"] = {
                side: {
                    "heel_strikes_s": [round(i / self.parameters.fps, 4) for i in ev.heel_strikes.tolist()],
                    "toe_offs_s": [round(i / self.parameters.fps, 4) for i in ev.toe_offs.tolist()],
                }
                for side, ev in self.events.items()
            }
        return out


def _mean(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None and np.isfinite(v)]
    return float(np.mean(vals)) if vals else None


def _stance_positions(events: FootEvents, n: int) -> dict[int, np.ndarray]:
    """Mean horizontal foot position over each stance, keyed by the stance's heel-strike frame."""
    out = {}
    for hs in events.heel_strikes:
        later = events.toe_offs[events.toe_offs > hs]
        end = int(later[0]) if len(later) else n
        out[int(hs)] = events.stance_position[hs:end].mean(axis=0)
    return out


def symmetry_angle_pct(left: float, right: float) -> float:
    """Symmetry angle (Zifchock 2008): 0 % = symmetric, 100 % = one side zero."""
    angle = np.degrees(np.arctan2(left, right))
    return float(abs(45.0 - angle) / 90.0 * 100.0)


def _trunk_angles(motion: Motion, joints: np.ndarray, yaw_deg: np.ndarray) -> np.ndarray | None:
    idx = JOINT_INDEX
    if motion.has("neck"):
        top = joints[:, idx["neck"]]
    elif motion.has("left_shoulder", "right_shoulder"):
        top = (joints[:, idx["left_shoulder"]] + joints[:, idx["right_shoulder"]]) / 2
    else:
        return None
    trunk = top - joints[:, idx["pelvis"]]
    forward = np.sum(horizontal(trunk) * unit_heading(yaw_deg), axis=-1)
    return np.degrees(np.arctan2(forward, trunk[:, 1]))


def analyze_motion(motion: Motion) -> GaitAnalysis:
    """Measure a walk. Raises :class:`AnalysisError` when fewer than two strides can be found."""
    if not motion.has("left_hip", "right_hip", "left_ankle", "right_ankle"):
        raise AnalysisError(motion.source.path, "gait events need both hips and both ankles, which the input lacks")
    fps = motion.fps
    joints = lowpass(motion.joints, fps, POSITION_CUTOFF_HZ)
    n = len(joints)
    yaw = smoothed_yaw_deg(motion)
    turns = detect_turns(motion, yaw)
    events = {side: detect_foot_events(motion, side) for side in SIDES}
    pelvis = horizontal(joints[:, JOINT_INDEX["pelvis"]])
    trunk = _trunk_angles(motion, joints, yaw)
    stances = {side: _stance_positions(events[side], n) for side in SIDES}
    both_contact = events["left"].contact & events["right"].contact
    margin = int(round(TURN_MARGIN_S * fps))
    in_turn = np.zeros(n, dtype=bool)
    for t in turns:
        in_turn[max(t.start - margin, 0) : t.end + margin] = True

    strides: list[Stride] = []
    arm_cycles: dict[tuple[int, str], np.ndarray] = {}
    for side in SIDES:
        other = "right" if side == "left" else "left"
        ev = events[side]
        for h0, h1 in zip(ev.heel_strikes[:-1].tolist(), ev.heel_strikes[1:].tolist()):
            time_s = (h1 - h0) / fps
            if not (MIN_STRIDE_S <= time_s <= MAX_STRIDE_S):
                continue
            length = float(np.linalg.norm(stances[side][h1] - stances[side][h0]))
            progression = pelvis[h1] - pelvis[h0]
            distance = float(np.linalg.norm(progression))
            stride = Stride(side, h0, h1, h0 / fps, time_s, length, distance / time_s, not in_turn[h0:h1].any())
            direction = progression / max(distance, 1e-9)
            normal = np.array([-direction[1], direction[0]])
            other_hs = events[other].heel_strikes
            previous = other_hs[other_hs < h1]
            if len(previous) and previous[-1] > h0:
                delta = stances[side][h1] - stances[other][int(previous[-1])]
                stride.step_length_m = float(delta @ direction)
                stride.step_width_m = float(abs(delta @ normal))
            stride.double_support_pct = float(both_contact[h0:h1].mean() * 100)
            for arm in SIDES:
                if motion.has(f"{arm}_wrist"):
                    rel = horizontal(joints[h0 : h1 + 1, JOINT_INDEX[f"{arm}_wrist"]]) - pelvis[h0 : h1 + 1]
                    stride.arm_swing_m[arm] = float(np.ptp(rel @ direction))
                    arm_cycles[(id(stride), arm)] = rel @ direction
            toe_offs = ev.toe_offs[(ev.toe_offs > h0) & (ev.toe_offs < h1)]
            if motion.has(f"{side}_foot") and len(toe_offs):
                toe_height = joints[:, JOINT_INDEX[f"{side}_foot"], 1]
                stance_height = float(np.median(toe_height[h0 : toe_offs[0]]))
                stride.foot_clearance_m = float(toe_height[toe_offs[0] : h1 + 1].max() - stance_height)
            if trunk is not None:
                stride.trunk_flexion_deg = float(trunk[h0:h1].mean())
            strides.append(stride)
    strides.sort(key=lambda s: s.start)
    _mark_unsteady(strides, np.linalg.norm(np.gradient(lowpass(pelvis, fps, SPEED_CUTOFF_HZ), axis=0), axis=-1) * fps)

    notes = []
    used = [s for s in strides if s.straight and s.steady]
    if len(used) < 2:
        used = [s for s in strides if s.straight]
        if len(used) >= 2:
            notes.append("fewer than two steady strides: parameters include gait initiation/stopping strides")
    if len(used) < 2:
        found = sum(len(events[s].heel_strikes) for s in SIDES)
        raise AnalysisError(
            motion.source.path,
            f"fewer than two strides of straight walking found ({len(used)} straight strides, {found} heel "
            f"strikes in {motion.duration_s:.1f} s); a walk of at least 4 steps is needed",
        )
    params = _summarise(motion, used, turns, events, arm_cycles)
    params.notes = notes
    return GaitAnalysis(params, strides, events, turns, trunk)


def _mark_unsteady(strides: list[Stride], pelvis_speed: np.ndarray) -> None:
    """Mark strides that start or end well below the walk's typical speed as not steady."""
    straight = [s.speed_m_s for s in strides if s.straight]
    if not straight:
        return
    floor = STEADY_SPEED_FRACTION * float(np.median(straight))
    for stride in strides:
        if min(pelvis_speed[stride.start], pelvis_speed[min(stride.end, len(pelvis_speed) - 1)]) < floor:
            stride.steady = False


def ensemble_excursion(cycles: list[np.ndarray], points: int = 101) -> float | None:
    """Peak-to-peak of the mean of several cycles, each resampled to ``points`` samples over 0-100 %."""
    if not cycles:
        return None
    grid = np.linspace(0.0, 1.0, points)
    resampled = [np.interp(grid, np.linspace(0.0, 1.0, len(c)), c) for c in cycles]
    return float(np.ptp(np.mean(resampled, axis=0)))


def arm_swing_of_walk(cycles_by_foot: dict[str, list[np.ndarray]]) -> float | None:
    """A walk's arm swing (m): the ensemble excursion of the strides of each foot, averaged over the feet
    that have strides (strides of the two feet start half a cycle apart, so they are not averaged together)."""
    return _mean([ensemble_excursion(cycles) for cycles in cycles_by_foot.values() if cycles])


def _summarise(motion: Motion, used: list[Stride], turns: list[Turn], events: dict[str, FootEvents],
               arm_cycles: dict[tuple[int, str], np.ndarray]) -> GaitParameters:  # fmt: skip
    unavailable: dict[str, str] = {}
    times = np.array([s.time_s for s in used])
    cv = None
    if len(used) >= MIN_STRIDES_FOR_CV:
        cv = float(np.std(times, ddof=1) / times.mean() * 100)
    else:
        unavailable["stride_time_cv_pct"] = f"needs {MIN_STRIDES_FOR_CV} straight strides, found {len(used)}"
    arm = {arm_side: arm_swing_of_walk({foot: [arm_cycles[(id(s), arm_side)] for s in used
                                               if s.side == foot and (id(s), arm_side) in arm_cycles]
                                        for foot in SIDES})
           for arm_side in SIDES}  # fmt: skip
    asymmetry = None
    if arm["left"] is not None and arm["right"] is not None:
        asymmetry = symmetry_angle_pct(arm["left"], arm["right"])
    else:
        missing = [f"{side}_wrist" for side in SIDES if not motion.has(f"{side}_wrist")]
        unavailable["arm_swing_m"] = f"needs wrist joints; missing in the input: {', '.join(missing)}"
        unavailable["arm_swing_asymmetry_pct"] = unavailable["arm_swing_m"]
    clearance = {side: _mean([s.foot_clearance_m for s in used if s.side == side]) for side in SIDES}
    if not motion.has("left_foot", "right_foot"):
        unavailable["foot_clearance_m"] = (
            f"needs toe/foot joints, which the input ({motion.source.layout}) lacks"
        )
    trunk = _mean([s.trunk_flexion_deg for s in used])
    if trunk is None:
        unavailable["trunk_flexion_deg"] = "needs shoulder or neck joints, which the input lacks"
    step_lengths = [s.step_length_m for s in used]
    if _mean(step_lengths) is None:
        unavailable["step_length_m"] = unavailable["step_width_m"] = "no alternating steps found"
    turn_rows = []
    for t in turns:
        steps = sum(int(((ev.heel_strikes >= t.start) & (ev.heel_strikes < t.end)).sum()) for ev in events.values())
        turn_rows.append({"start_s": round(t.start_s, 3), "duration_s": round(t.duration_s, 3), "steps": steps,
                          "angle_deg": round(abs(t.angle_deg), 1)})  # fmt: skip
    return GaitParameters(
        speed_m_s=_mean([s.speed_m_s for s in used]),
        stride_length_m=_mean([s.length_m for s in used]),
        step_length_m=_mean(step_lengths),
        cadence_steps_per_min=float(120.0 / times.mean()),
        step_width_m=_mean([s.step_width_m for s in used]),
        stride_time_cv_pct=cv,
        double_support_pct=_mean([s.double_support_pct for s in used]),
        arm_swing_m=arm,
        arm_swing_asymmetry_pct=asymmetry,
        foot_clearance_m=clearance,
        trunk_flexion_deg=trunk,
        n_strides=len(used),
        turns=turn_rows,
        frames=motion.n_frames,
        fps=motion.fps,
        duration_s=motion.duration_s,
        unavailable=unavailable,
    )
