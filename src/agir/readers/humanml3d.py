"""HumanML3D 263-dim features <-> joint positions (22 SMPL joints).

Layout of one frame (Guo et al. 2022): root yaw velocity (1), root linear velocity x/z in the body's
heading frame (2), root height (1), root-relative joint positions of joints 1-21 in the heading frame
(63), joint 6D rotations (126), joint velocities (66), foot contacts (4). Joints are recovered from the
first 67 dimensions exactly as HumanML3D's ``recover_from_ric``: integrate the yaw and root velocity, then
rotate the local positions back. The yaw quaternion is (cos a, 0, sin a, 0), i.e. a rotation by 2a about y.
"""

from __future__ import annotations

import numpy as np

HUMANML3D_DIM = 263
N_RIC = 21


def _yaw_matrices(half_angles: np.ndarray) -> np.ndarray:
    """Rotation matrices (T x 3 x 3) about +y by 2 * half_angles (radians)."""
    angle = 2 * half_angles
    c, s = np.cos(angle), np.sin(angle)
    m = np.zeros((len(angle), 3, 3))
    m[:, 0, 0], m[:, 0, 2], m[:, 1, 1], m[:, 2, 0], m[:, 2, 2] = c, s, 1.0, -s, c
    return m


def joints_from_humanml3d(features: np.ndarray) -> np.ndarray:
    """Recover joint positions (T x 22 x 3, metres, y up) from T x 263 HumanML3D features."""
    half = np.zeros(len(features))
    half[1:] = np.cumsum(features[:-1, 0])
    # qrot(qinv(q), v) with q = (cos a, 0, sin a, 0) is a rotation by -2a about y.
    inverse = _yaw_matrices(-half)
    root = np.zeros((len(features), 3))
    root[1:, [0, 2]] = features[:-1, 1:3]
    root = np.cumsum(np.einsum("nij,nj->ni", inverse, root), axis=0)
    root[:, 1] = features[:, 3]
    local = features[:, 4 : 4 + N_RIC * 3].reshape(-1, N_RIC, 3)
    world = np.einsum("nij,nkj->nki", inverse, local)
    world[..., 0] += root[:, None, 0]
    world[..., 2] += root[:, None, 2]
    return np.concatenate([root[:, None], world], axis=1)


def heading_half_angles(joints: np.ndarray) -> np.ndarray:
    """Half of the yaw angle (radians, per frame) that turns the body's facing direction onto +z.

    Facing = up x (right-to-left hips + shoulders), as in HumanML3D (joints 2-1 and 17-16).
    """
    across = (joints[:, 2] - joints[:, 1]) + (joints[:, 17] - joints[:, 16])
    forward = np.stack([across[:, 2], np.zeros(len(joints)), -across[:, 0]], axis=1)  # cross(y, across)
    yaw = np.arctan2(forward[:, 0], forward[:, 2])  # angle of forward from +z about y
    return np.unwrap(-yaw) / 2  # rotating by -yaw brings forward onto +z


def humanml3d_from_joints(joints: np.ndarray) -> np.ndarray:
    """HumanML3D-style features ((T-1) x 263) from joints (T x 22 x 3, y up, floor at 0).

    Root, local positions, velocities and foot contacts are computed; the 6D rotations (dims 67-192)
    need inverse kinematics and are left at zero: :func:`joints_from_humanml3d` does not use them.
    """
    half = heading_half_angles(joints)
    rot = _yaw_matrices(half)
    n = len(joints) - 1
    feats = np.zeros((n, HUMANML3D_DIM))
    dhalf = np.diff(half)
    feats[:, 0] = dhalf
    vel = joints[1:, 0] - joints[:-1, 0]
    feats[:, 1:3] = np.einsum("nij,nj->ni", rot[1:], vel)[:, [0, 2]]
    feats[:, 3] = joints[:-1, 0, 1]
    local = joints[:-1, 1:].copy()
    local[..., 0] -= joints[:-1, None, 0, 0]
    local[..., 2] -= joints[:-1, None, 0, 2]
    feats[:, 4 : 4 + N_RIC * 3] = np.einsum("nij,nkj->nki", rot[:-1], local).reshape(n, -1)
    start = 4 + N_RIC * 3 + N_RIC * 6
    joint_vel = np.einsum("nij,nkj->nki", rot[:-1], joints[1:] - joints[:-1])
    feats[:, start : start + 66] = joint_vel.reshape(n, -1)
    feet = joints[:, [7, 10, 8, 11]]
    speed = np.linalg.norm(np.diff(feet, axis=0), axis=-1)
    feats[:, -4:] = (speed < 0.01).astype(float)  # 0.01 m per frame ~ 0.2 m/s at 20 fps
    return feats
