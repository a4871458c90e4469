"""Gait events (heel strike, toe off) from foot kinematics, robust to shuffling and turning.

Method (a velocity-threshold detector in the spirit of Ghoussayni 2004 / O'Connor 2007, see
../shared/notes/gait-reference.md section 3.2): the foot is in contact while the slower of its two
points (ankle ~ heel, toe base) moves slower than a threshold scaled to that foot's own swing speed
(20 % of its 95th-percentile speed, clipped to 0.1-0.6 m/s). A candidate swing only counts when the foot
really travels (at least 4 cm horizontally) and lasts at least 0.08 s, so pose jitter does not create
steps and small turning or shuffling steps are not lost, which a fixed-prominence position detector
(Zeni) would miss. Heel strike = swing -> contact, toe off = contact -> swing.

Two passes: contact phases are found on positions low-passed at 3 Hz, which keeps pose jitter of 1-2 cm
from splitting a stance (checked on CMU walks with added jitter at 20-120 fps); each phase boundary is
then moved to the nearest threshold crossing of the 6 Hz signal within 0.1 s, which restores the timing
(double support) that the heavier smoothing blurs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agir.gait.signals import horizontal, lowpass, runs
from agir.skeleton import JOINT_INDEX, Motion

POSITION_CUTOFF_HZ = 6.0
EVENT_CUTOFF_HZ = 3.0
REFINE_WINDOW_S = 0.1
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


def _foot_speed_and_point(motion: Motion, side: str, cutoff_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """Speed (m/s) of the slower of ankle and toe, and the foot point (mid ankle-toe, or the ankle), T x 3."""
    names = [f"{side}_ankle"] + ([f"{side}_foot"] if motion.has(f"{side}_foot") else [])
    points = lowpass(motion.joints[:, [JOINT_INDEX[n] for n in names]], motion.fps, cutoff_hz)
    speeds = np.linalg.norm(np.gradient(points, axis=0), axis=-1) * motion.fps
    return speeds.min(axis=1), points.mean(axis=1)


def _threshold(speed: np.ndarray) -> float:
    return float(np.clip(0.2 * np.percentile(speed, 95), 0.1, 0.6))


def _refine(contact: np.ndarray, fine: np.ndarray, window: int) -> np.ndarray:
    """Move each boundary of ``contact`` to the nearest same-direction boundary of ``fine`` within ``window``."""
    fine_change = np.diff(fine.astype(np.int8))
    fine_on, fine_off = np.nonzero(fine_change == 1)[0] + 1, np.nonzero(fine_change == -1)[0] + 1
    refined = np.zeros_like(contact)
    for start, end in runs(contact):
        if start > 0 and len(fine_on):
            nearest = fine_on[np.argmin(np.abs(fine_on - start))]
            start = int(nearest) if abs(nearest - start) <= window else start
        if end < len(contact) and len(fine_off):
            nearest = fine_off[np.argmin(np.abs(fine_off - end))]
            end = int(nearest) if abs(nearest - end) <= window else end
        if end > start:
            refined[start:end] = True
    return refined


def detect_foot_events(motion: Motion, side: str) -> FootEvents:
    """Contact phases and events of one foot."""
    fps = motion.fps
    speed, foot_point = _foot_speed_and_point(motion, side, EVENT_CUTOFF_HZ)
    threshold = _threshold(speed)
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
    fine_speed, _ = _foot_speed_and_point(motion, side, POSITION_CUTOFF_HZ)
    contact = _refine(contact, fine_speed < _threshold(fine_speed), int(round(REFINE_WINDOW_S * fps)))
    change = np.diff(contact.astype(np.int8))
    heel_strikes = np.nonzero(change == 1)[0] + 1
    toe_offs = np.nonzero(change == -1)[0] + 1
    return FootEvents(side, contact, heel_strikes, toe_offs, position, threshold)
