"""AGIR: assess Parkinsonian gait impairment (MDS-UPDRS 3.10) from 3D motion, with grounded reasoning.

Data flow (each module imports only from modules upstream of it):
motion input (``agir.readers``) -> canonical skeleton (``agir.skeleton``) -> gait parameters
(``agir.gait``) -> corpus -> tokenizer -> language model -> assessment -> report.
"""

from agir.errors import AgirError, AnalysisError, MotionFileError
from agir.skeleton import JOINT_NAMES, Motion

__version__ = "0.1.0"

__all__ = ["AgirError", "AnalysisError", "JOINT_NAMES", "Motion", "MotionFileError", "__version__"]
