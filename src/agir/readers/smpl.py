"""SMPL parameters -> joints by forward kinematics on a fixed template skeleton.

Used for CARE-PD pickles (per walk: ``pose`` T x 72 axis-angle, ``trans`` T x 3, ``fps``) and AMASS-style
``.npz`` (``poses`` T x 156, ``trans``, ``mocap_framerate``).

Approximation (documented): no SMPL model files are available or needed. The rest skeleton is a fixed
template close to the SMPL mean-shape joint locations (``TEMPLATE_JOINTS_M``, about 1.7 m tall), so
body shape (``beta``) is ignored: bone lengths are those of an average adult, while the joint angles,
global orientation and translation are the recorded ones. Spatial parameters therefore carry the
template's proportions; temporal ones (cadence, variability) are unaffected.
"""

from __future__ import annotations

import numpy as np

from agir.readers.rotations import rotvec_to_matrix
from agir.skeleton import N_JOINTS, PARENTS

# Rest-pose joint locations (metres, SMPL frame: y up, facing +z, left at +x), rounded to 1 mm.
TEMPLATE_JOINTS_M = np.array([
    [-0.002, -0.223, 0.028], [0.068, -0.315, 0.021], [-0.069, -0.314, 0.024], [-0.004, -0.114, 0.002],
    [0.102, -0.690, 0.017], [-0.108, -0.696, 0.015], [0.001, 0.021, 0.003], [0.088, -1.088, -0.027],
    [-0.092, -1.095, -0.027], [0.003, 0.074, 0.028], [0.115, -1.144, 0.093], [-0.117, -1.143, 0.096],
    [0.000, 0.288, -0.015], [0.081, 0.195, -0.006], [-0.079, 0.193, -0.011], [0.005, 0.353, 0.037],
    [0.172, 0.226, -0.015], [-0.175, 0.225, -0.020], [0.432, 0.213, -0.042], [-0.429, 0.212, -0.041],
    [0.681, 0.222, -0.044], [-0.684, 0.220, -0.047],
])  # fmt: skip


def smpl_forward_kinematics(pose_axis_angle: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """Joint positions (T x 22 x 3, metres) from SMPL pose (T x >=66 axis-angle, radians) and trans (T x 3).

    As in SMPL, the global orientation rotates the body about the template pelvis and ``trans`` is
    added afterwards.
    """
    n = pose_axis_angle.shape[0]
    aa = pose_axis_angle[:, : N_JOINTS * 3].reshape(n, N_JOINTS, 3)
    local = rotvec_to_matrix(aa.reshape(-1, 3)).reshape(n, N_JOINTS, 3, 3)
    rot = np.empty_like(local)
    pos = np.empty((n, N_JOINTS, 3))
    for j, p in enumerate(PARENTS):
        if p < 0:
            rot[:, j] = local[:, j]
            pos[:, j] = TEMPLATE_JOINTS_M[j] + trans
        else:
            rot[:, j] = rot[:, p] @ local[:, j]
            pos[:, j] = pos[:, p] + np.einsum("nij,j->ni", rot[:, p], TEMPLATE_JOINTS_M[j] - TEMPLATE_JOINTS_M[p])
    return pos
