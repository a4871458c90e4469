"""The tokenizer's motion representation: 137 HumanML3D-style features per frame at a fixed rate.

A walk is low-passed (below the new Nyquist), resampled to ``fps`` (20 by default) and described frame by
frame, in the body's own heading frame, by

====== ==== =================================================================================
dims   n    meaning
====== ==== =================================================================================
0      1    root yaw velocity (half-angle, radians per frame)
1-2    2    root horizontal velocity in the heading frame (metres per frame)
3      1    root (pelvis) height (metres)
4-66   63   positions of joints 1-21 relative to the root, in the heading frame (metres)
67-132 66   velocities of joints 0-21 in the heading frame (metres per frame)
133-136 4   foot contacts (left ankle, left toe, right ankle, right toe; 1 = still)
====== ==== =================================================================================

This is HumanML3D's 263-dim layout without the 6D joint rotations (which need inverse kinematics and that
the joint recovery does not use). Features are invariant to where the walk is and which way it faces, and
:func:`features_to_joints` recovers joints (T x 22 x 3, starting at the origin facing +z) exactly.
"""

from __future__ import annotations

import numpy as np

from agir.gait.signals import lowpass
from agir.readers.humanml3d import HUMANML3D_DIM, humanml3d_from_joints, joints_from_humanml3d
from agir.skeleton import JOINT_NAMES, Motion

FEATURE_DIM = 137
_KEEP = np.r_[0:67, 193:263]  # HumanML3D dims without the 6D rotations (67-192)
RIC = slice(4, 67)  # root-relative joint positions
MIN_FRAMES = 2


def resample_joints(joints: np.ndarray, fps: float, target_fps: float) -> np.ndarray:
    """Joints (T x 22 x 3) at ``fps`` -> at ``target_fps``: low-passed at 0.4 x the target rate when
    downsampling (no aliasing), then linearly interpolated on the new time grid."""
    if abs(fps - target_fps) < 1e-9:
        return np.asarray(joints, dtype=np.float64)
    if target_fps < fps:
        joints = lowpass(joints, fps, 0.4 * target_fps)
    duration = (len(joints) - 1) / fps
    new_t = np.arange(int(np.floor(duration * target_fps + 1e-9)) + 1) / target_fps
    old_t = np.arange(len(joints)) / fps
    flat = joints.reshape(len(joints), -1)
    out = np.stack([np.interp(new_t, old_t, flat[:, k]) for k in range(flat.shape[1])], axis=1)
    return out.reshape(len(new_t), *joints.shape[1:])


def joints_to_features(joints: np.ndarray) -> np.ndarray:
    """(T-1) x 137 features from joints (T x 22 x 3, metres, y up, floor at 0) at the feature rate."""
    return humanml3d_from_joints(joints)[:, _KEEP].astype(np.float32)


def features_to_joints(features: np.ndarray) -> np.ndarray:
    """Joints (T x 22 x 3, metres) from T x 137 features (start at the origin, facing +z)."""
    full = np.zeros((len(features), HUMANML3D_DIM))
    full[:, _KEEP] = features
    return joints_from_humanml3d(full)


def _mirror_maps() -> tuple[np.ndarray, np.ndarray]:
    """(permutation, sign) of the 137 dims under a left-right mirror of the body (x -> -x in the heading
    frame, left and right joints exchanged)."""
    swap = [JOINT_NAMES.index(n.replace("left_", "right_") if n.startswith("left_") else n.replace("right_", "left_"))
            for n in JOINT_NAMES]  # fmt: skip
    perm, sign = np.arange(FEATURE_DIM), np.ones(FEATURE_DIM, np.float32)
    sign[0] = sign[1] = -1  # yaw velocity, lateral root velocity
    for j in range(1, 22):  # root-relative positions of joints 1-21
        perm[4 + 3 * (j - 1) : 4 + 3 * j] = np.arange(4 + 3 * (swap[j] - 1), 4 + 3 * swap[j])
        sign[4 + 3 * (j - 1)] = -1
    for j in range(22):  # velocities of joints 0-21
        perm[67 + 3 * j : 67 + 3 * (j + 1)] = np.arange(67 + 3 * swap[j], 67 + 3 * (swap[j] + 1))
        sign[67 + 3 * j] = -1
    perm[133:137] = [135, 136, 133, 134]  # foot contacts: left ankle, left toe <-> right ankle, right toe
    return perm, sign


MIRROR_PERMUTATION, MIRROR_SIGN = _mirror_maps()


def mirror_features(features: np.ndarray) -> np.ndarray:
    """Features (... x 137) of the same walk mirrored left-right: exactly the features of the mirrored joints
    (a training augmentation: asymmetric gait, e.g. one arm swinging less, occurs on either side)."""
    return features[..., MIRROR_PERMUTATION] * MIRROR_SIGN


def motion_features(motion: Motion, fps: float = 20.0) -> np.ndarray:
    """Features of a canonical walk at ``fps``; missing joints (e.g. no feet in H36M) are not allowed."""
    if motion.missing_joints:
        raise ValueError(f"the tokenizer needs all 22 joints; missing: {', '.join(motion.missing_joints)}")
    return joints_to_features(resample_joints(motion.joints, motion.fps, fps))
