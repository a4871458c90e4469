"""Joint positions (T x 22 x 3, metres, y up) of a planned walk.

Built from the feet up so the realism constraints hold by construction:

* feet: rigid heel-ankle-toe segments. In stance the foot is planted: it rolls about the heel after heel
  strike (loading), lies flat, then rolls about the toe base (heel rise) until toe off, so the ankle is fixed
  while the foot is flat and the toe base is fixed from foot-flat to toe off. In swing the toe travels on a
  minimum-jerk path with a lift bump while the foot pitches from push-off to the heel-strike angle.
* pelvis: through the midpoint of the two feet at every heel strike (monotone cubic in time), plus lateral
  sway and vertical bob, lowered wherever a leg could not otherwise reach its ankle target; so root speed
  equals step length x cadence.
* legs: analytic two-bone inverse kinematics (constant thigh and shank lengths), knees pointing along the
  foot.
* trunk: a 4-segment spine flexed forward so that the pelvis -> neck line makes the requested trunk angle,
  counter-rotating against the pelvis; head and trunk lead the pelvis into a turn unless the turn is en bloc.
* arms: pendulum swing about the shoulder, opposite to the same-side leg, with the amplitude solved so the
  wrist travels the requested excursion; elbow flexion, optional rest tremor, or a walker-like posture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agir.gait.signals import lowpass
from agir.skeleton import JOINT_INDEX, N_JOINTS
from agir.synth.body import BodyDimensions
from agir.synth.curves import minimum_jerk, pchip, smoothstep
from agir.synth.footsteps import SIDES, FootstepPlan, Stance, forward, left_of
from agir.synth.severity import WalkSpec

UP = np.array([0.0, 1.0, 0.0])
ARM_REST_FLEXION_DEG = 4.0
SWING_LINEAR_SHARE = 0.4
SPINE_FLEXION_WEIGHTS = np.array([0.6, 0.85, 1.15, 1.4])  # more flexion higher up (kyphosis)


def _xz(v2: np.ndarray, y: np.ndarray | float = 0.0) -> np.ndarray:
    """(..., 2) horizontal vectors plus a height -> (..., 3)."""
    y = np.broadcast_to(np.asarray(y, dtype=np.float64), v2.shape[:-1])
    return np.stack([v2[..., 0], y, v2[..., 1]], axis=-1)


def _rotate(local: np.ndarray, pitch: np.ndarray) -> np.ndarray:
    """Rotate (forward, up) points by pitch (rad, positive = toe up)."""
    c, s = np.cos(pitch), np.sin(pitch)
    return np.stack([local[..., 0] * c - local[..., 1] * s, local[..., 0] * s + local[..., 1] * c], axis=-1)


def _place(origin: np.ndarray, yaw: np.ndarray, local: np.ndarray) -> np.ndarray:
    """World points from a world origin (T x 3) plus (forward, up) offsets (T x 2) in a yaw frame."""
    return origin + _xz(forward(yaw) * local[..., :1], local[..., 1])


@dataclass
class FootTrack:
    """One foot over time: ankle and toe-base positions (T x 3), yaw (T), and contact flags (T)."""

    ankle: np.ndarray
    toe: np.ndarray
    yaw: np.ndarray
    toe_planted: np.ndarray
    ankle_planted: np.ndarray


def foot_track(stances: list[Stance], body: BodyDimensions, t: np.ndarray, lift_m: float) -> FootTrack:
    pts = body.foot_points()
    heel_l, ankle_l, toe_l = pts["heel"], pts["ankle"], pts["toe"]
    col = {name: np.array([getattr(s, name) for s in stances]) for name in
           ("strike_s", "flat_s", "heel_off_s", "toe_off_s", "yaw", "strike_pitch_rad", "push_pitch_rad")}  # fmt: skip
    heel = np.array([s.heel_xz for s in stances])
    i = np.searchsorted(col["strike_s"], t, side="right") - 1
    in_stance = t < col["toe_off_s"][i]
    yaw = col["yaw"][i].copy()
    heel_w = _xz(heel[i])
    with np.errstate(invalid="ignore", divide="ignore"):
        u_load = (t - col["strike_s"][i]) / (col["flat_s"][i] - col["strike_s"][i])
        u_rise = (t - col["heel_off_s"][i]) / (col["toe_off_s"][i] - col["heel_off_s"][i])
    loading = t < col["flat_s"][i]
    rising = t >= col["heel_off_s"][i]
    pitch = np.where(loading, col["strike_pitch_rad"][i] * (1 - smoothstep(np.nan_to_num(u_load))), 0.0)
    pitch = np.where(rising, -col["push_pitch_rad"][i] * smoothstep(np.nan_to_num(u_rise)), pitch)
    flat_toe = _place(heel_w, yaw, np.broadcast_to(toe_l - heel_l, (len(t), 2)))
    ankle = np.where(rising[:, None], _place(flat_toe, yaw, _rotate(ankle_l - toe_l, pitch)),
                     _place(heel_w, yaw, _rotate(ankle_l - heel_l, pitch)))  # fmt: skip
    toe = np.where(rising[:, None], flat_toe, _place(heel_w, yaw, _rotate(toe_l - heel_l, pitch)))

    swing = ~in_stance
    if swing.any():
        j = i[swing]
        ts = t[swing]
        s = (ts - col["toe_off_s"][j]) / (col["strike_s"][j + 1] - col["toe_off_s"][j])
        start = _place(_xz(heel[j]), col["yaw"][j], np.broadcast_to(toe_l - heel_l, (len(j), 2)))
        end_pitch = col["strike_pitch_rad"][j + 1]
        end = _place(_xz(heel[j + 1]), col["yaw"][j + 1], _rotate(np.broadcast_to(toe_l - heel_l, (len(j), 2)), end_pitch))
        # part minimum-jerk, part constant speed: the foot leaves and reaches the floor still moving, as
        # a real toe does after toe off and a heel before heel strike
        m = ((1 - SWING_LINEAR_SHARE) * minimum_jerk(s) + SWING_LINEAR_SHARE * s)[:, None]
        turn = (col["yaw"][j + 1] - col["yaw"][j] + np.pi) % (2 * np.pi) - np.pi
        sw_yaw = col["yaw"][j] + turn * m[:, 0]
        sw_pitch = -col["push_pitch_rad"][j] + (end_pitch + col["push_pitch_rad"][j]) * smoothstep(s)
        sw_toe = start + (end - start) * m
        sw_toe[:, 1] += lift_m * np.sin(np.pi * s) ** 2
        toe[swing] = sw_toe
        ankle[swing] = _place(sw_toe, sw_yaw, _rotate(ankle_l - toe_l, sw_pitch))
        yaw[swing] = sw_yaw
    planted = in_stance & ~loading
    return FootTrack(ankle, toe, yaw, planted, planted & ~rising)


def gait_phase(plan: FootstepPlan, t: np.ndarray) -> np.ndarray:
    """Continuous gait phase (cycles): integer at left heel strikes, half-integer at right heel strikes."""
    strikes = np.array([s.strike_s for s in plan.steps])
    phase = 0.5 * np.arange(len(strikes)) + (0.0 if plan.steps[0].side == "left" else 0.5)
    slope = 0.5 / plan.steps[0].duration_s
    return np.where(t < strikes[0], phase[0] - (strikes[0] - t) * slope, np.interp(t, strikes, phase))


def walking_envelope(plan: FootstepPlan, t: np.ndarray) -> np.ndarray:
    """0 while standing, 1 while walking, with smooth ramps over the first and last steps."""
    first, last = plan.steps[0].duration_s, plan.steps[-1].duration_s
    return smoothstep((t - plan.start_s) / first) * (1 - smoothstep((t - plan.end_s + last) / last))


def two_bone_ik(root: np.ndarray, target: np.ndarray, pole: np.ndarray, a: float, b: float) -> np.ndarray:
    """Middle joint (T x 3) of a chain root -(a)- middle -(b)- target, bending towards ``pole`` (T x 3)."""
    v = target - root
    d = np.clip(np.linalg.norm(v, axis=-1, keepdims=True), abs(a - b) + 1e-6, a + b - 1e-6)
    u = v / np.linalg.norm(v, axis=-1, keepdims=True)
    p = pole - np.sum(pole * u, axis=-1, keepdims=True) * u
    p /= np.linalg.norm(p, axis=-1, keepdims=True)
    cos_root = (a * a + d * d - b * b) / (2 * a * d)
    return root + a * (cos_root * u + np.sqrt(1 - cos_root**2) * p)


def _solve_spine_scale(segments: np.ndarray, flexion: float) -> float:
    """Scale k so that segments pitched by k * weights * flexion give a pelvis -> neck angle of flexion."""
    if abs(flexion) < 1e-9:
        return 1.0
    k = np.linspace(0.3, 1.7, 1401)[:, None]
    angles = k * SPINE_FLEXION_WEIGHTS * flexion
    total = np.arctan2((segments * np.sin(angles)).sum(1), (segments * np.cos(angles)).sum(1))
    return float(k[np.argmin(np.abs(total - flexion)), 0])


def solve_arm_amplitude(body: BodyDimensions, excursion_m: float, elbow_rad: float, abduction_rad: float) -> float:
    """Shoulder swing amplitude (rad) for which the wrist moves ``excursion_m`` peak to peak (forward)."""
    amp = np.linspace(0, np.radians(70), 1401)
    off = np.radians(ARM_REST_FLEXION_DEG)

    def wrist_forward(theta: np.ndarray) -> np.ndarray:
        return (body.upper_arm_m * np.cos(abduction_rad) * np.sin(theta)
                + body.forearm_m * np.cos(abduction_rad / 2) * np.sin(theta + elbow_rad))  # fmt: skip

    ptp = wrist_forward(off + amp) - wrist_forward(off - amp)
    return float(amp[np.argmin(np.abs(ptp - excursion_m))])


@dataclass
class Kinematics:
    joints: np.ndarray  # T x 22 x 3, metres, y up
    t: np.ndarray
    feet: dict[str, FootTrack]
    heading: np.ndarray  # rad, T
    trunk_flexion_rad: float


def synthesise(spec: WalkSpec, plan: FootstepPlan, body: BodyDimensions) -> Kinematics:
    """Joint positions of ``plan`` for ``spec`` at ``spec.fps`` (clean: no jitter, local frame)."""
    imp = spec.impairment
    fps = spec.fps
    t = np.arange(int(np.ceil(plan.duration_s * fps)) + 1) / fps
    n = len(t)
    joints = np.zeros((n, N_JOINTS, 3))
    J = JOINT_INDEX
    feet = {side: foot_track(plan.stances[side], body, t, imp["toe_lift_m"]) for side in SIDES}
    phase = gait_phase(plan, t)
    env = walking_envelope(plan, t)
    cycle = 2 * np.pi * phase

    # heading and root path
    knot_t = [0.0] + [s.strike_s for s in plan.steps] + [plan.duration_s]
    yaws = np.unwrap([0.0] + [s.yaw for s in plan.steps] + [plan.steps[-1].yaw])
    heading = pchip(np.array(knot_t), yaws, t)
    lead = 0.3 * (1 - imp["en_bloc"])
    mid_foot = 0.5 * body.heel_to_toe_m
    current = {side: plan.stances[side][0] for side in SIDES}
    centre = [sum(c.heel_xz + mid_foot * forward(c.yaw) for c in current.values()) / 2]
    counters = {side: 0 for side in SIDES}
    for step in plan.steps:
        counters[step.side] += 1
        current[step.side] = plan.stances[step.side][counters[step.side]]
        centre.append(sum(c.heel_xz + mid_foot * forward(c.yaw) for c in current.values()) / 2)
    pelvis_t = np.array([0.0, plan.start_s] + [s.strike_s for s in plan.steps] + [plan.duration_s])
    pelvis_xz = pchip(pelvis_t, np.array([centre[0]] + centre + [centre[-1]]), t)
    sway = 0.022 * env * np.cos(cycle - 2 * np.pi * 0.22)
    pelvis_xz += sway[:, None] * left_of(heading)

    torsion_amplitude = np.radians(4.0) * min(spec.stride_length_m / 1.3, 1.2)
    torsion = torsion_amplitude * env
    pelvis_yaw = heading - torsion * np.cos(cycle)
    trunk_yaw = pchip(np.array(knot_t), yaws, t + lead / 2) + 0.7 * torsion * np.cos(cycle)
    head_yaw = pchip(np.array(knot_t), yaws, t + lead)

    # pelvis height: flexed-knee stance height with bob, never higher than the legs can reach
    knee = np.radians(imp["knee_flexion_deg"])
    reach = np.sqrt(body.thigh_m**2 + body.shank_m**2 + 2 * body.thigh_m * body.shank_m * np.cos(knee))
    bob = 0.018 * min(spec.stride_length_m / 1.4, 1.0)
    nominal = body.ankle_height_m + reach + body.hip_below_pelvis_m - bob * env * np.cos(2 * cycle)
    obliquity = np.radians(3.0) * env * np.sin(cycle)  # raises the stance-side hip
    hip_offset = {}  # (lateral, up) offset of each hip from the pelvis joint, rotated by the obliquity
    for side, sign in (("left", 1.0), ("right", -1.0)):
        lateral, up = sign * body.hip_half_width_m, -body.hip_below_pelvis_m
        hip_offset[side] = (lateral * np.cos(obliquity) - up * np.sin(obliquity),
                            lateral * np.sin(obliquity) + up * np.cos(obliquity))  # fmt: skip
    hip_xz = {side: pelvis_xz + hip_offset[side][0][:, None] * left_of(pelvis_yaw) for side in SIDES}
    limits = []
    for side in SIDES:
        horizontal = np.linalg.norm(hip_xz[side] - feet[side].ankle[:, [0, 2]], axis=-1)
        vertical = np.sqrt(np.clip((0.995 * body.leg_m) ** 2 - horizontal**2, 0.0, None))
        limits.append(feet[side].ankle[:, 1] + vertical - hip_offset[side][1])
    limit = np.minimum(*limits)
    height = np.minimum(lowpass(np.minimum(nominal, limit), fps, 3.0), limit)
    joints[:, J["pelvis"]] = _xz(pelvis_xz, height)

    for side in SIDES:
        hip = _xz(hip_xz[side], height + hip_offset[side][1])
        joints[:, J[f"{side}_hip"]] = hip
        joints[:, J[f"{side}_ankle"]] = feet[side].ankle
        joints[:, J[f"{side}_foot"]] = feet[side].toe
        joints[:, J[f"{side}_knee"]] = two_bone_ik(hip, feet[side].ankle, _xz(forward(feet[side].yaw)), body.thigh_m, body.shank_m)

    trunk_flexion = np.radians(imp["trunk_flexion_deg"])
    _spine(joints, spec, body, trunk_yaw, head_yaw, trunk_flexion, env, cycle)
    _arms(joints, spec, body, trunk_yaw, torsion_amplitude, env, cycle, t)
    return Kinematics(joints, t, feet, heading, trunk_flexion)


def _spine(joints: np.ndarray, spec: WalkSpec, body: BodyDimensions, trunk_yaw: np.ndarray, head_yaw: np.ndarray,
           flexion: float, env: np.ndarray, cycle: np.ndarray) -> None:  # fmt: skip
    J = JOINT_INDEX
    segments = np.array(body.spine_segments_m)
    k = _solve_spine_scale(segments, flexion)
    wobble = np.radians(1.2) * env * np.cos(2 * cycle)
    fwd = _xz(forward(trunk_yaw))
    side = _xz(left_of(trunk_yaw))
    point = joints[:, J["pelvis"]]
    angle = None
    for name, length, weight in zip(("spine1", "spine2", "spine3", "neck"), segments, SPINE_FLEXION_WEIGHTS):
        angle = k * weight * flexion + wobble
        point = point + length * (np.sin(angle)[:, None] * fwd + np.cos(angle)[:, None] * UP)
        joints[:, J[name]] = point
    upper = np.sin(angle)[:, None] * fwd + np.cos(angle)[:, None] * UP
    head_angle = angle + np.radians(spec.impairment["neck_flexion_deg"]) + np.radians(8)
    head_fwd = _xz(forward(head_yaw))
    joints[:, J["head"]] = joints[:, J["neck"]] + body.neck_to_head_m * (
        np.sin(head_angle)[:, None] * head_fwd + np.cos(head_angle)[:, None] * UP
    )
    spine3 = joints[:, J["spine3"]]
    for name, sign in (("left", 1), ("right", -1)):
        joints[:, J[f"{name}_collar"]] = spine3 + sign * body.collar_lateral_m * side + body.collar_up_m * upper
        joints[:, J[f"{name}_shoulder"]] = spine3 + sign * body.shoulder_lateral_m * side + body.shoulder_up_m * upper


def _arms(joints: np.ndarray, spec: WalkSpec, body: BodyDimensions, trunk_yaw: np.ndarray, torsion_amplitude: float,
          env: np.ndarray, cycle: np.ndarray, t: np.ndarray) -> None:  # fmt: skip
    J = JOINT_INDEX
    subject = spec.subject
    fwd = _xz(forward(trunk_yaw))
    left = _xz(left_of(trunk_yaw))
    for side, sign in (("left", 1), ("right", -1)):
        if subject.walker_posture:
            rest, elbow, abduction, amplitude = np.radians(15), np.radians(55), np.radians(4), 0.0
        else:
            rest = np.radians(ARM_REST_FLEXION_DEG)
            elbow = np.radians(subject.resting_elbow_deg + spec.impairment["elbow_flexion_deg"])
            abduction = np.radians(subject.arm_abduction_deg)
            from_trunk = 2 * body.shoulder_lateral_m * np.sin(0.7 * torsion_amplitude)
            target = max(spec.arm_swing_m[side] - from_trunk, 0.0)
            amplitude = solve_arm_amplitude(body, target, elbow, abduction)
        # the left arm swings forward while the right leg does (right heel strike at half cycles)
        shoulder_angle = rest - sign * amplitude * env * np.cos(cycle)
        elbow_angle = elbow + np.zeros_like(t)
        if subject.tremor_amplitude_m and side == subject.affected_side:
            elbow_angle = elbow_angle + subject.tremor_amplitude_m / body.forearm_m * np.sin(2 * np.pi * subject.tremor_hz * t)
        out = sign * left
        upper = np.cos(abduction) * (np.sin(shoulder_angle)[:, None] * fwd - np.cos(shoulder_angle)[:, None] * UP) + np.sin(abduction) * out
        lower_angle = shoulder_angle + elbow_angle
        lower = np.cos(abduction / 2) * (np.sin(lower_angle)[:, None] * fwd - np.cos(lower_angle)[:, None] * UP) + np.sin(abduction / 2) * out
        elbow_pos = joints[:, J[f"{side}_shoulder"]] + body.upper_arm_m * upper
        joints[:, J[f"{side}_elbow"]] = elbow_pos
        joints[:, J[f"{side}_wrist"]] = elbow_pos + body.forearm_m * lower
