"""Recipes that build the 22 canonical joints from the named points of a source format.

A recipe is one of: a point name (taken as is), ``Mean(names)`` (their average) or ``Lerp(a, b, t)``
(``a + t (b - a)``). Each canonical joint has a list of recipes tried in order; the first whose points
all exist is used. A joint with no usable recipe is *missing* (NaN), never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from agir.skeleton import JOINT_NAMES, N_JOINTS


@dataclass(frozen=True)
class Mean:
    names: tuple[str, ...]


@dataclass(frozen=True)
class Lerp:
    a: str
    b: str
    t: float


Recipe = str | Mean | Lerp
RecipeBook = Mapping[str, Sequence[Recipe]]


def normalise_name(name: str) -> str:
    """Lower-case a point name and drop prefixes like ``mixamorig:`` / ``Subject1:`` and punctuation."""
    name = name.split(":")[-1].split("|")[-1]
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _needs(recipe: Recipe) -> tuple[str, ...]:
    if isinstance(recipe, str):
        return (recipe,)
    if isinstance(recipe, Mean):
        return recipe.names
    return (recipe.a, recipe.b)


def _evaluate(recipe: Recipe, points: Mapping[str, np.ndarray]) -> np.ndarray:
    if isinstance(recipe, str):
        return points[recipe]
    if isinstance(recipe, Mean):
        return np.mean([points[n] for n in recipe.names], axis=0)
    return points[recipe.a] + recipe.t * (points[recipe.b] - points[recipe.a])


def build_canonical(
    points: Mapping[str, np.ndarray], recipes: RecipeBook, n_frames: int
) -> tuple[np.ndarray, np.ndarray, dict[str, str]]:
    """Apply a recipe book to named point trajectories (each T x 3).

    Point names are compared after :func:`normalise_name`, so recipes are written in that form.

    Returns:
        joints (T x 22 x 3, NaN where missing), present (22 bools), and which recipe made each joint.
    """
    named = {normalise_name(k): np.asarray(v, dtype=np.float64) for k, v in points.items()}
    joints = np.full((n_frames, N_JOINTS, 3), np.nan)
    present = np.zeros(N_JOINTS, dtype=bool)
    used: dict[str, str] = {}
    # Canonical joints may be built from other canonical joints (e.g. spine from pelvis and neck),
    # so resolve in passes until nothing changes.
    for _ in range(3):
        for j, joint in enumerate(JOINT_NAMES):
            if present[j]:
                continue
            for recipe in recipes.get(joint, ()):
                if all(n in named for n in _needs(recipe)):
                    joints[:, j] = _evaluate(recipe, named)
                    present[j] = True
                    used[joint] = str(recipe)
                    named[canonical(joint)] = joints[:, j]
                    break
    return joints, present, used


def canonical(joint: str) -> str:
    """Name under which an already-built canonical joint can be used by later recipes."""
    return "canon" + normalise_name(joint)


def with_fallbacks(recipes: dict[str, list[Recipe]]) -> dict[str, list[Recipe]]:
    """Append the generic fallbacks: spine1-3 between pelvis and neck, collars near the neck.

    These are interpolations (documented approximations of joints the format does not name), used
    only when the format has no point of its own for them.
    """
    c = canonical
    fallbacks: dict[str, list[Recipe]] = {
        "spine1": [Lerp(c("pelvis"), c("neck"), 0.25)],
        "spine2": [Lerp(c("pelvis"), c("neck"), 0.55)],
        "spine3": [Lerp(c("pelvis"), c("neck"), 0.8)],
        "left_collar": [Lerp(c("neck"), c("left_shoulder"), 0.35)],
        "right_collar": [Lerp(c("neck"), c("right_shoulder"), 0.35)],
    }
    merged = {k: list(v) for k, v in recipes.items()}
    for joint, extra in fallbacks.items():
        merged.setdefault(joint, []).extend(extra)
    return merged
