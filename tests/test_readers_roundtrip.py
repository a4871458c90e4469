"""Every reader on a small file in its format, written by the test from known joints (round trips)."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from agir.readers import read_motion
from agir.readers.arrays import LAYOUT_POINTS
from agir.readers.humanml3d import heading_half_angles, humanml3d_from_joints
from agir.readers.smpl import TEMPLATE_JOINTS_M
from agir.skeleton import JOINT_INDEX, JOINT_NAMES
from conftest import plug_in_gait_markers, write_c3d, write_trc, y_up_to_z_up

LIMBS = ["pelvis", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
         "left_foot", "right_foot", "left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
         "left_wrist", "right_wrist", "neck", "head"]  # fmt: skip


def _idx(names: list[str]) -> list[int]:
    return [JOINT_INDEX[n] for n in names]


def _assert_joints(
    actual: np.ndarray, expected: np.ndarray, names: list[str], atol: float, max_floor_shift: float = 0.01
) -> None:
    """Joints equal up to one constant vertical shift (the floor is re-estimated on read: from the toe
    joints, or from the ankles when a layout has no feet)."""
    ids = _idx(names)
    shift = float(np.median(actual[:, ids, 1] - expected[:, ids, 1]))
    assert abs(shift) < max_floor_shift, f"floor moved by {shift:.3f} m"
    actual = actual - np.array([0.0, shift, 0.0])
    for name in names:
        i = JOINT_INDEX[name]
        err = np.abs(actual[:, i] - expected[:, i]).max()
        assert err < atol, f"{name}: max error {err:.4f} m"


# --- BVH -----------------------------------------------------------------------------------------

BVH_TEXT = """HIERARCHY
ROOT Hips
{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
  JOINT LeftUpLeg
  {
    OFFSET 10 -5 0
    CHANNELS 3 Zrotation Xrotation Yrotation
    JOINT LeftLeg
    {
      OFFSET 0 -40 0
      CHANNELS 3 Zrotation Xrotation Yrotation
      JOINT LeftFoot
      {
        OFFSET 0 -40 0
        CHANNELS 3 Zrotation Xrotation Yrotation
        JOINT LeftToeBase
        {
          OFFSET 0 -5 12
          CHANNELS 3 Zrotation Xrotation Yrotation
          End Site
          {
            OFFSET 0 0 5
          }
        }
      }
    }
  }
  JOINT RightUpLeg
  {
    OFFSET -10 -5 0
    CHANNELS 3 Zrotation Xrotation Yrotation
    JOINT RightLeg
    {
      OFFSET 0 -40 0
      CHANNELS 3 Zrotation Xrotation Yrotation
      JOINT RightFoot
      {
        OFFSET 0 -40 0
        CHANNELS 3 Zrotation Xrotation Yrotation
        JOINT RightToeBase
        {
          OFFSET 0 -5 12
          CHANNELS 3 Zrotation Xrotation Yrotation
          End Site
          {
            OFFSET 0 0 5
          }
        }
      }
    }
  }
  JOINT Spine
  {
    OFFSET 0 10 0
    CHANNELS 3 Zrotation Xrotation Yrotation
    JOINT Spine1
    {
      OFFSET 0 15 0
      CHANNELS 3 Zrotation Xrotation Yrotation
      JOINT Neck
      {
        OFFSET 0 20 0
        CHANNELS 3 Zrotation Xrotation Yrotation
        JOINT Head
        {
          OFFSET 0 10 0
          CHANNELS 3 Zrotation Xrotation Yrotation
          End Site
          {
            OFFSET 0 15 0
          }
        }
      }
      JOINT LeftArm
      {
        OFFSET 18 18 0
        CHANNELS 3 Zrotation Xrotation Yrotation
        JOINT LeftForeArm
        {
          OFFSET 0 -28 0
          CHANNELS 3 Zrotation Xrotation Yrotation
          JOINT LeftHand
          {
            OFFSET 0 -25 0
            CHANNELS 3 Zrotation Xrotation Yrotation
          }
        }
      }
      JOINT RightArm
      {
        OFFSET -18 18 0
        CHANNELS 3 Zrotation Xrotation Yrotation
        JOINT RightForeArm
        {
          OFFSET 0 -28 0
          CHANNELS 3 Zrotation Xrotation Yrotation
          JOINT RightHand
          {
            OFFSET 0 -25 0
            CHANNELS 3 Zrotation Xrotation Yrotation
          }
        }
      }
    }
  }
}
MOTION
Frames: 3
Frame Time: 0.01
"""
# joint order in the file: Hips LUpLeg LLeg LFoot LToe RUpLeg RLeg RFoot RToe Spine Spine1 Neck Head LArm LForeArm
# LHand RArm RForeArm RHand: 6 + 18 * 3 = 60 channels


def _bvh_frame(root=(0, 90, 0), left_knee_x=0.0, root_yaw=0.0) -> str:
    values = [*root, 0.0, 0.0, root_yaw] + [0.0] * 54
    values[6 + 3 * 1 + 1] = left_knee_x  # LeftLeg Xrotation (channel order Z X Y)
    return " ".join(f"{v:g}" for v in values)


def test_bvh_forward_kinematics_units_and_sides(tmp_path: Path) -> None:
    path = tmp_path / "known.bvh"
    frames = [_bvh_frame(), _bvh_frame(), _bvh_frame(root=(0, 90, 30), left_knee_x=90, root_yaw=90)]
    path.write_text(BVH_TEXT + "\n".join(frames) + "\n")
    motion = read_motion(path)
    assert motion.source.units == "cm"
    assert motion.n_frames == 3 and motion.fps == pytest.approx(100)
    j = motion.joints
    # Frame 0: the left leg is on the +x side; the toe base touches the floor.
    assert j[0, JOINT_INDEX["left_hip"], 0] == pytest.approx(0.10)
    assert j[0, JOINT_INDEX["right_hip"], 0] == pytest.approx(-0.10)
    assert j[0, JOINT_INDEX["left_foot"], 1] == pytest.approx(0.0, abs=1e-9)
    assert j[0, JOINT_INDEX["left_ankle"]] == pytest.approx([0.10, 0.05, 0.0])
    assert j[0, JOINT_INDEX["head"], 1] == pytest.approx(1.45)  # 90 + 10 + 15 + 20 + 10 cm
    # Frame 2: root yawed 90 degrees about y (facing +x) and moved 0.3 m along z; left knee flexed 90 degrees
    # about its x axis, so the shank points backwards (-z in the body frame = -x in the world).
    rot = Rotation.from_euler("Y", 90, degrees=True).as_matrix()
    left_knee = np.array([0, 0.90, 0.30]) + rot @ np.array([0.10, -0.45, 0])
    assert j[2, JOINT_INDEX["left_knee"]] == pytest.approx(left_knee)
    assert j[2, JOINT_INDEX["left_ankle"]] == pytest.approx(left_knee + rot @ np.array([0, 0, -0.40]))
    right_ankle = np.array([0, 0.90, 0.30]) + rot @ np.array([-0.10, -0.85, 0])
    assert j[2, JOINT_INDEX["right_ankle"]] == pytest.approx(right_ankle)


def test_bvh_cmu_file(cmu_dir: Path) -> None:
    motion = read_motion(cmu_dir / "136_22.bvh")
    assert motion.source.units == "cmu"
    assert motion.n_frames == 836  # 837 lines minus the rest pose
    assert motion.fps == pytest.approx(120, rel=1e-3)
    assert not motion.missing_joints
    height = motion.joint("head")[:, 1].max()
    assert 1.2 < height < 1.8
    # left joints are on the left of the facing direction (facing = up x (right - left))
    j = motion.joints
    across = j[:, JOINT_INDEX["right_hip"]] - j[:, JOINT_INDEX["left_hip"]]
    pelvis_velocity = np.diff(j[:, 0], axis=0)[300:400].mean(axis=0)
    facing = np.cross([0, 1, 0], across[350])
    assert facing @ pelvis_velocity > 0, "walking backwards: left/right or axes are swapped"


# --- C3D and TRC (markers) ----------------------------------------------------------------------


def test_c3d_plug_in_gait_round_trip(tmp_path: Path, normal_walk) -> None:
    joints = normal_walk.joints[::4]
    markers = {k: y_up_to_z_up(v) for k, v in plug_in_gait_markers(joints).items()}
    path = tmp_path / "walk.c3d"
    write_c3d(path, markers, fps=30.0)
    motion = read_motion(path)
    assert motion.source.layout == "plug-in-gait"
    assert motion.fps == pytest.approx(30.0)
    # the pelvis is the centre of the four pelvis markers by definition, not SMPL's pelvis joint
    _assert_joints(motion.joints, joints, [n for n in LIMBS if n != "pelvis"], atol=2e-3)


def test_trc_opencap_round_trip(tmp_path: Path, normal_walk) -> None:
    joints = normal_walk.joints[::2]
    names = {"midHip": "pelvis", "LHip": "left_hip", "RHip": "right_hip", "LKnee": "left_knee",
             "RKnee": "right_knee", "LAnkle": "left_ankle", "RAnkle": "right_ankle", "LBigToe": "left_foot",
             "LSmallToe": "left_foot", "RBigToe": "right_foot", "RSmallToe": "right_foot", "Neck": "neck",
             "LShoulder": "left_shoulder", "RShoulder": "right_shoulder", "LElbow": "left_elbow",
             "RElbow": "right_elbow", "LWrist": "left_wrist", "RWrist": "right_wrist"}  # fmt: skip
    markers = {k: joints[:, JOINT_INDEX[v]] for k, v in names.items()}
    path = tmp_path / "walk.trc"
    write_trc(path, markers, fps=60.0, units="mm")
    motion = read_motion(path)
    assert motion.source.layout == "opencap-keypoints"
    assert motion.missing_joints == ["head"]
    _assert_joints(motion.joints, joints, [n for n in LIMBS if n != "head"], atol=1e-5)


# --- NumPy arrays, HumanML3D, CARE-PD -----------------------------------------------------------

H36M_FROM_SMPL = {"hip": "pelvis", "rhip": "right_hip", "rknee": "right_knee", "rankle": "right_ankle",
                  "lhip": "left_hip", "lknee": "left_knee", "lankle": "left_ankle", "spine": "spine2",
                  "thorax": "neck", "nose": "head", "headtop": "head", "lshoulder": "left_shoulder",
                  "lelbow": "left_elbow", "lwrist": "left_wrist", "rshoulder": "right_shoulder",
                  "relbow": "right_elbow", "rwrist": "right_wrist"}  # fmt: skip
COCO_FROM_SMPL = {"nose": "head", "leye": "head", "reye": "head", "lear": "head", "rear": "head",
                  "lshoulder": "left_shoulder", "rshoulder": "right_shoulder", "lelbow": "left_elbow",
                  "relbow": "right_elbow", "lwrist": "left_wrist", "rwrist": "right_wrist", "lhip": "left_hip",
                  "rhip": "right_hip", "lknee": "left_knee", "rknee": "right_knee", "lankle": "left_ankle",
                  "rankle": "right_ankle", "headtop": "head", "neck": "neck", "hip": "pelvis",
                  "lbigtoe": "left_foot", "rbigtoe": "right_foot", "lsmalltoe": "left_foot",
                  "rsmalltoe": "right_foot", "lheel": "left_ankle", "rheel": "right_ankle"}  # fmt: skip


@pytest.mark.parametrize("layout", ["smpl22", "smpl24", "h36m17", "coco17", "halpe26"])
def test_numpy_layouts_round_trip(tmp_path: Path, normal_walk, layout: str) -> None:
    joints = normal_walk.joints[::4]
    mapping = {"h36m17": H36M_FROM_SMPL, "coco17": COCO_FROM_SMPL, "halpe26": COCO_FROM_SMPL}.get(layout)
    if mapping is None:
        array = joints if layout == "smpl22" else np.concatenate([joints, joints[:, -2:]], axis=1)
    else:
        array = np.stack([joints[:, JOINT_INDEX[mapping[p]]] for p in LAYOUT_POINTS[layout]], axis=1)
    path = tmp_path / "walk.npz"
    np.savez(path, joints=array * 1000.0, fps=30.0, layout=layout)  # millimetres: units inferred
    motion = read_motion(path)
    assert motion.source.units == "mm"
    has_feet = layout in ("smpl22", "smpl24", "halpe26")
    assert ("left_foot" in motion.missing_joints) is not has_feet
    expected = [n for n in LIMBS if has_feet or not n.endswith("_foot")]
    if layout in ("coco17",):
        expected = [n for n in expected if n not in ("neck", "pelvis")]  # derived: mid-shoulder / mid-hip
    names = [n for n in expected if n != "head" or layout.startswith("smpl")]
    _assert_joints(motion.joints, joints, names, 1e-6, max_floor_shift=0.01 if has_feet else 0.1)


def test_npy_needs_fps_and_17_joints_needs_layout(tmp_path: Path, normal_walk) -> None:
    from agir.errors import MotionFileError

    path = tmp_path / "walk.npy"
    np.save(path, normal_walk.joints)
    with pytest.raises(MotionFileError, match="frame rate unknown"):
        read_motion(path)
    assert read_motion(path, fps=120.0).n_frames == normal_walk.n_frames
    np.save(path, normal_walk.joints[:, :17])
    with pytest.raises(MotionFileError, match="ambiguous"):
        read_motion(path, fps=120.0)


def test_humanml3d_round_trip(tmp_path: Path, normal_walk) -> None:
    joints = normal_walk.joints[::6].copy()  # 20 fps
    yaw = -2 * heading_half_angles(joints[:1])[0]  # facing yaw of frame 0; HumanML3D starts facing +z
    rot = Rotation.from_euler("y", -yaw).as_matrix()
    joints = joints @ rot.T
    joints[..., [0, 2]] -= joints[0, 0, [0, 2]]
    features = humanml3d_from_joints(joints)
    assert features.shape == (len(joints) - 1, 263)
    path = tmp_path / "walk.npy"
    np.save(path, features)
    motion = read_motion(path)  # T x 263 .npy is recognised as HumanML3D
    assert motion.source.format == "humanml3d" and motion.fps == 20.0
    _assert_joints(motion.joints, joints[:-1], list(JOINT_NAMES), atol=1e-6)


def test_carepd_pickle_forward_kinematics(tmp_path: Path) -> None:
    n = 4
    pose = np.zeros((n, 72))
    pose[1:, 0:3] = [0, np.pi / 2, 0]  # global orientation: 90 degrees about y
    pose[2:, 4 * 3 : 4 * 3 + 3] = [np.pi / 2, 0, 0]  # left knee (SMPL joint 4) flexed about x
    trans = np.array([[0, 0.9, 0]] * n, dtype=float)
    trans[3, 2] = 1.0
    walk = {"pose": pose, "trans": trans, "beta": np.zeros(10), "fps": 30, "UPDRS_GAIT": 1}
    path = tmp_path / "walks.pkl"
    path.write_bytes(pickle.dumps({"SUB01": {"walk_1": walk}}))
    motion = read_motion(path)
    assert motion.fps == 30.0
    j = motion.joints
    floor_shift = j[0, 0, 1] - (TEMPLATE_JOINTS_M[0, 1] + 0.9)
    rest = TEMPLATE_JOINTS_M + [0, 0.9, 0] + [0, floor_shift, 0]
    assert np.allclose(j[0], rest, atol=1e-9)
    rot = Rotation.from_euler("y", 90, degrees=True).as_matrix()
    expected_1 = (TEMPLATE_JOINTS_M - TEMPLATE_JOINTS_M[0]) @ rot.T + TEMPLATE_JOINTS_M[0] + [0, 0.9 + floor_shift, 0]
    assert np.allclose(j[1], expected_1, atol=1e-9)
    # knee flexion moves the left ankle only, backwards (body -z = world -x after the 90 degree yaw)
    knee, ankle = JOINT_INDEX["left_knee"], JOINT_INDEX["left_ankle"]
    shank = TEMPLATE_JOINTS_M[7] - TEMPLATE_JOINTS_M[4]
    flexed = Rotation.from_euler("x", 90, degrees=True).as_matrix() @ shank
    assert np.allclose(j[2, ankle], j[2, knee] + rot @ flexed, atol=1e-9)
    assert np.allclose(j[2, JOINT_INDEX["right_ankle"]], j[1, JOINT_INDEX["right_ankle"]], atol=1e-9)
    assert j[2, ankle, 0] < j[1, ankle, 0] - 0.2
    assert np.allclose(j[3] - j[2], [0, 0, 1.0], atol=1e-9)


def test_joint_names_are_smpl_order() -> None:
    assert JOINT_NAMES[:3] == ("pelvis", "left_hip", "right_hip") and len(JOINT_NAMES) == 22


def test_bvh_mixamo_names_and_explicit_units(tmp_path: Path) -> None:
    frames = "\n".join([_bvh_frame(), _bvh_frame(), _bvh_frame(left_knee_x=45)]) + "\n"
    plain = tmp_path / "plain.bvh"
    plain.write_text(BVH_TEXT + frames)
    mixamo_text = BVH_TEXT
    for name in ("Hips", "LeftUpLeg", "LeftLeg", "LeftFoot", "LeftToeBase", "RightUpLeg", "RightLeg", "RightFoot",
                 "RightToeBase", "Spine1", "Neck", "Head", "LeftArm", "LeftForeArm", "LeftHand", "RightArm",
                 "RightForeArm", "RightHand"):  # fmt: skip
        mixamo_text = mixamo_text.replace(f" {name}\n", f" mixamorig:{name}\n")
    mixamo_text = mixamo_text.replace("JOINT Spine\n", "JOINT mixamorig:Spine\n")
    assert "mixamorig:LeftUpLeg" in mixamo_text and "mixamorig:Spine\n" in mixamo_text
    mixamo = tmp_path / "mixamo.bvh"
    mixamo.write_text(mixamo_text + frames)
    a, b = read_motion(plain), read_motion(mixamo, units="cm")
    assert np.allclose(a.joints, b.joints) and not b.missing_joints
    metres = read_motion(plain, units="m")  # the same numbers read as metres: a 100 times taller body
    height = lambda m: m.joint("head")[0, 1] - m.joint("left_foot")[0, 1]  # noqa: E731
    assert height(metres) == pytest.approx(100 * height(a))


def test_format_option_overrides_the_extension(tmp_path: Path, cmu_dir: Path) -> None:
    path = tmp_path / "walk.txt"
    path.write_bytes((cmu_dir / "07_06.bvh").read_bytes())
    assert read_motion(path, fmt="bvh").n_frames == read_motion(cmu_dir / "07_06.bvh").n_frames
