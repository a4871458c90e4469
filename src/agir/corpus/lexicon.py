"""The words the corpus texts use for each measure and judgement.

Generated sentences draw from these lists (a small template grammar), and the same lists let a checker
map a sentence back to the measure it talks about and the direction it claims (``low``/``normal``/``high``).
The wording paraphrases the MDS-UPDRS 3.10 anchors; it does not copy them.
"""

from __future__ import annotations

NOUNS: dict[str, tuple[str, ...]] = {
    "speed_m_s": ("gait speed", "walking speed", "speed"),
    "stride_length_m": ("stride length", "stride"),
    "cadence_steps_per_min": ("cadence", "step rate"),
    "stride_time_cv_pct": ("stride-time variability", "stride timing variability"),
    "double_support_pct": ("double support", "double-support time"),
    "arm_swing": ("arm swing", "arm movement"),
    "arm_swing_asymmetry_pct": ("arm-swing asymmetry", "left-right arm-swing asymmetry"),
    "foot_clearance": ("foot lift", "toe clearance", "foot clearance"),
    "trunk_flexion_deg": ("trunk posture", "trunk"),
    "turn_steps": ("number of turning steps", "step count of the turn"),
    "turn_duration_s": ("turn duration", "time taken to turn"),
}
"""Noun phrases per measure family (``arm_swing`` and ``foot_clearance`` cover both sides)."""

ADJECTIVES: dict[str, dict[str, tuple[str, ...]]] = {
    "speed_m_s": {"low": ("reduced", "slow"), "normal": ("normal", "within the healthy range"),
                  "high": ("fast", "above the usual range")},
    "stride_length_m": {"low": ("shortened", "short"), "normal": ("normal", "within the healthy range"),
                        "high": ("long", "above the usual range")},
    "cadence_steps_per_min": {"low": ("slow", "reduced"), "normal": ("normal", "within the healthy range"),
                              "high": ("quick", "elevated")},
    "stride_time_cv_pct": {"low": ("normal",), "normal": ("normal", "within the healthy range"),
                           "high": ("increased", "elevated")},
    "double_support_pct": {"low": ("short",), "normal": ("normal", "within the healthy range"),
                           "high": ("prolonged", "increased")},
    "arm_swing": {"low": ("reduced", "diminished"), "normal": ("normal", "preserved"),
                  "high": ("large", "above the usual range")},
    "arm_swing_asymmetry_pct": {"low": ("normal",), "normal": ("symmetric", "within the healthy range"),
                                "high": ("asymmetric", "increased")},
    "foot_clearance": {"low": ("low", "reduced"), "normal": ("normal", "adequate"),
                       "high": ("high", "above the usual range")},
    "trunk_flexion_deg": {"low": ("leaning back", "extended"), "normal": ("upright", "normal"),
                          "high": ("flexed forward", "stooped")},
    "turn_steps": {"low": ("small",), "normal": ("small", "normal"), "high": ("high", "increased")},
    "turn_duration_s": {"low": ("quick",), "normal": ("quick", "normal"), "high": ("slow", "prolonged")},
}  # fmt: skip
"""Adjectives per measure family and direction."""

DEGREE_WORDS: dict[str, tuple[str, ...]] = {
    "slight": ("slightly", "mildly"),
    "moderate": ("clearly", "moderately"),
    "marked": ("markedly", "severely"),
}

SEVERITY_PHRASES: dict[int, tuple[str, ...]] = {
    0: ("gait without evident problems", "walking looks unimpaired"),
    1: ("walks unaided with only slight gait changes", "independent walking, slightly impaired"),
    2: ("walks independently but gait is substantially impaired", "independent walking with clear, substantial impairment"),
    3: ("gait impaired enough that an aid would be needed for safe walking", "walking that would need an aid to be safe"),
    4: ("cannot walk safely without another person's help", "walking only with help from another person"),
}  # fmt: skip
"""Paraphrases of the MDS-UPDRS 3.10 anchor for each score (not the copyrighted wording)."""


def family(measure: str) -> str:
    """Lexicon family of a flat measure name (e.g. ``arm_swing_left_m`` -> ``arm_swing``)."""
    for prefix in ("arm_swing_left", "arm_swing_right"):
        if measure.startswith(prefix):
            return "arm_swing"
    if measure.startswith("foot_clearance"):
        return "foot_clearance"
    return measure
