"""Gait events (heel strike, toe off) from foot kinematics, robust to shuffling and turning.

Method (a velocity-threshold detector in the spirit of Ghoussayni 2004 / O'Connor 2007, see
../shared/notes/gait-reference.md section 3.2): the foot is in contact while the slower of its two
points (ankle ~ heel, toe base) moves slower than a threshold scaled to that foot's own swing speed
(20 % of its 95th-percentile speed, clipped to 0.1-0.6 m/s). A candidate swing only counts when the foot
really travels (at least 4 cm horizontally) and lasts at least 0.08 s, so pose jitter does not create
steps and small turning or shuffling steps are not lost, which a fixed-prominence position detector
(Zeni) would miss. Heel strike = swing -> contact, toe off = contact -> swing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agir.gait.signals import horizontal, lowpass, runs
from agir.skeleton import JOINT_INDEX, Motion

POSITION_CUTOFF_HZ = 6.0
MIN_SWING_DISTANCE_M = 0.04
MIN_SWING_S = 0.08
MIN_CONTACT_S = 0.04


@dataclass
class FootEvents:
    """Contact phases of one foot.

    Attributes:
        side: ``left`` or ``right``.
        contact: T bools, True while the foot is on the ground.
        heel_strikes: frame indices of initial contacts.
        toe_offs: frame indices of foot-offs.
        stance_position: T x 2 horizontal (x, z) position of the foot (metres), filtered.
        threshold_m_s: the speed threshold used.
    """

    side: str
    contact: np.ndarray
    heel_strikes: np.ndarray
    toe_offs: np.ndarray
    stance_position: np.ndarray
    threshold_m_s: float


def _speed(points: np.ndarray, fps: float) -> np.ndarray:
    return np.linalg.norm(np.gradient(points, axis=0), axis=-1) * fps


def detect_foot_events(motion: Motion, side: str, smoothed: np.ndarray | None = None) -> FootEvents:
    """Contact phases and events of one foot. ``smoothed`` is the low-passed T x 22 x 3 joint array."""
    joints = smoothed if smoothed is not None else lowpass(motion.joints, motion.fps, POSITION_CUTOFF_HZ)
    fps = motion.fps
    ankle = joints[:, JOINT_INDEX[f"{side}_ankle"]]
    speed = _speed(ankle, fps)
    foot_point = ankle
    if motion.has(f"{side}_foot"):
        toe = joints[:, JOINT_INDEX[f"{side}_foot"]]
        speed = np.minimum(speed, _speed(toe, fps))
        foot_point = (ankle + toe) / 2
    threshold = float(np.clip(0.2 * np.percentile(speed, 95), 0.1, 0.6))
    contact = speed < threshold
    # Very short contacts inside a swing are noise.
    for start, end in runs(contact):
        if (end - start) / fps < MIN_CONTACT_S and start > 0 and end < len(contact):
            contact[start:end] = False
    # A swing must move the foot and last long enough; otherwise it is jitter during contact.
    position = horizontal(foot_point)
    for start, end in runs(~contact):
        moved = np.linalg.norm(position[min(end, len(position) - 1)] - position[max(start - 1, 0)])
        if moved < MIN_SWING_DISTANCE_M or (end - start) / fps < MIN_SWING_S:
            contact[start:end] = True
    change = np.diff(contact.astype(np.int8))
    heel_strikes = np.nonzero(change == 1)[0] + 1
    toe_offs = np.nonzero(change == -1)[0] + 1
    return FootEvents(side, contact, heel_strikes, toe_offs, position, threshold)
