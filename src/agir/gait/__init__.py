"""Gait analysis: events, turns, per-stride and summary parameters of a canonical walk."""

from agir.gait.analysis import GaitAnalysis, GaitParameters, Stride, analyze_motion
from agir.gait.norms import NORMAL_RANGES, NormalRange

__all__ = ["GaitAnalysis", "GaitParameters", "NORMAL_RANGES", "NormalRange", "Stride", "analyze_motion"]
