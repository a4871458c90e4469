"""Corpus texts built from measured values: stage-1 descriptions and stage-2 slot rationales.

Every sentence part that says something about the walk is a :class:`Claim` that records the measure,
the value and healthy range it was judged against, and the judgement. Wording varies through a small
template grammar (``agir.corpus.lexicon``); a seeded ``random.Random`` picks the variants, so the same walk
and seed give the same texts.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

from agir.corpus.lexicon import ADJECTIVES, DEGREE_WORDS, NOUNS, SEVERITY_PHRASES, family
from agir.corpus.measures import MEASURES

SLOTS = ("Foot", "Arm", "Posture", "Turning", "Overall")


@dataclass
class Claim:
    """One statement about the walk and the measured value it rests on (SI units; ``shown`` as written)."""

    slot: str
    text: str
    measure: str
    side: str | None
    value: float
    shown: str
    low: float
    high: float
    judgement: str
    degree: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def _adjective(measure: str, judgement: str, degree: str | None, rng: random.Random) -> str:
    adj = rng.choice(ADJECTIVES[family(measure)][judgement])
    if degree and judgement != "normal" and " " not in adj:
        adj = f"{rng.choice(DEGREE_WORDS[degree])} {adj}"
    return adj


def _claim(slot: str, measure: str, value: float, text: str, judgement: str, degree: str | None) -> Claim:
    m = MEASURES[measure]
    return Claim(slot, text, measure, m.side, float(value), m.show(value), m.low, m.high, judgement, degree)


def _noun(measure: str, rng: random.Random) -> str:
    return rng.choice(NOUNS[family(measure)])


# ---------------------------------------------------------------- stage 1: descriptions

def _describe_one(measure: str, value: float, rng: random.Random) -> tuple[str, Claim]:
    m = MEASURES[measure]
    judgement, degree = m.judge(value)
    noun, adj, shown, rng_text = _noun(measure, rng), _adjective(measure, judgement, degree, rng), m.show(value), m.show_range()
    template = rng.randrange(4)
    if template == 0:
        text = f"{noun.capitalize()} is {adj} at {shown} (healthy range {rng_text})."
    elif template == 1:
        text = f"{noun.capitalize()}: {shown}, {adj} against a healthy {rng_text}."
    elif template == 2:
        text = f"The measured {noun} of {shown} is {adj}; the healthy range is {rng_text}."
    else:
        text = f"With {shown}, the {noun} is {adj} (healthy {rng_text})."
    return text, _claim("Description", measure, value, text, judgement, degree)


def _describe_sides(prefix: str, values: dict[str, float], rng: random.Random) -> tuple[str, list[Claim]]:
    names = {side: f"{prefix}_{side}_m" for side in values}
    judged = {side: MEASURES[names[side]].judge(v) for side, v in values.items()}
    m = MEASURES[names["left"]]
    noun = _noun(names["left"], rng)
    parts = [f"{_adjective(names[s], *judged[s], rng)} on the {s} ({MEASURES[names[s]].show(values[s])})" for s in values]
    text = f"{noun.capitalize()} is {' and '.join(parts)}; healthy {m.show_range()} per side."
    return text, [_claim("Description", names[s], values[s], text, *judged[s]) for s in values]


def describe(flat: dict[str, float | None], rng: random.Random) -> tuple[str, list[Claim]]:
    """A paragraph on speed, stride, cadence, arm swing, foot lift, posture, turning and variability."""
    groups: list[list[tuple[str, list[Claim]]]] = []
    gait = []
    for name in ("speed_m_s", "stride_length_m", "cadence_steps_per_min"):
        if flat.get(name) is not None:
            text, claim = _describe_one(name, flat[name], rng)
            gait.append((text, [claim]))
    groups.append(gait)
    for prefix in ("arm_swing", "foot_clearance"):
        values = {s: flat.get(f"{prefix}_{s}_m") for s in ("left", "right")}
        if all(v is not None for v in values.values()):
            group = [_describe_sides(prefix, values, rng)]
            if prefix == "arm_swing" and flat.get("arm_swing_asymmetry_pct") is not None:
                text, claim = _describe_one("arm_swing_asymmetry_pct", flat["arm_swing_asymmetry_pct"], rng)
                group.append((text, [claim]))
            groups.append(group)
    for names in (("trunk_flexion_deg",), ("turn_steps", "turn_duration_s"), ("stride_time_cv_pct", "double_support_pct")):
        group = []
        for name in names:
            if flat.get(name) is not None:
                text, claim = _describe_one(name, flat[name], rng)
                group.append((text, [claim]))
        groups.append(group)
    if flat.get("turn_steps") is None:
        groups.append([("No turn was found in the recording.", [])])
    first, rest = groups[0], groups[1:]
    rng.shuffle(rest)
    ordered = [first, *rest] if rng.random() < 0.6 else [*rest[:1], first, *rest[1:]]
    sentences = [s for group in ordered for s in group]
    return " ".join(t for t, _ in sentences), [c for _, cs in sentences for c in cs]


# ---------------------------------------------------------------- stage 2: rationales

def _clause(slot: str, measure: str, value: float, rng: random.Random, noun: str | None = None) -> Claim:
    m = MEASURES[measure]
    judgement, degree = m.judge(value)
    noun = noun or _noun(measure, rng)
    adj = _adjective(measure, judgement, degree, rng)
    text = rng.choice((f"{noun} {adj} ({m.show(value)})", f"{adj} {noun} ({m.show(value)})")) if " " not in adj \
        else f"{noun} {adj} ({m.show(value)})"
    return _claim(slot, measure, value, text, judgement, degree)


def rationale(flat: dict[str, float | None], score: int, rng: random.Random) -> tuple[str, list[Claim]]:
    """``Foot: ... Arm: ... Posture: ... Turning: ... Overall: ...`` then ``Score: k``.

    Foot covers speed, stride and foot lift (cadence and variability when outside their range); Arm the
    swing of each side (and asymmetry when outside its range); Posture the trunk; Turning the main turn;
    Overall counts the measures outside their healthy ranges and gives the severity for ``score``.
    """
    slots: dict[str, list[Claim]] = {s: [] for s in SLOTS}
    for name in ("speed_m_s", "stride_length_m"):
        if flat.get(name) is not None:
            slots["Foot"].append(_clause("Foot", name, flat[name], rng))
    lifts = {s: flat.get(f"foot_clearance_{s}_m") for s in ("left", "right")}
    if all(v is not None for v in lifts.values()):
        lower = min(lifts, key=lambda s: lifts[s])
        slots["Foot"].append(_clause("Foot", f"foot_clearance_{lower}_m", lifts[lower], rng, _noun("foot_clearance", rng)))
    for name in ("cadence_steps_per_min", "stride_time_cv_pct"):
        if flat.get(name) is not None and MEASURES[name].judge(flat[name])[0] != "normal":
            slots["Foot"].append(_clause("Foot", name, flat[name], rng))
    for side in ("left", "right"):
        name = f"arm_swing_{side}_m"
        if flat.get(name) is not None:
            slots["Arm"].append(_clause("Arm", name, flat[name], rng, f"{side} arm swing"))
    asym = flat.get("arm_swing_asymmetry_pct")
    if asym is not None and MEASURES["arm_swing_asymmetry_pct"].judge(asym)[0] == "high":
        slots["Arm"].append(_clause("Arm", "arm_swing_asymmetry_pct", asym, rng))
    if flat.get("trunk_flexion_deg") is not None:
        slots["Posture"].append(_clause("Posture", "trunk_flexion_deg", flat["trunk_flexion_deg"], rng, "trunk"))
    for name in ("turn_steps", "turn_duration_s"):
        if flat.get(name) is not None:
            slots["Turning"].append(_clause("Turning", name, flat[name], rng))
    for slot_claims in slots.values():
        if slot_claims:
            first = slot_claims[0]
            first.text = first.text[0].upper() + first.text[1:]
    claims = [c for s in SLOTS for c in slots[s]]
    abnormal = sum(1 for c in claims if c.judgement != "normal")
    parts = []
    for slot in SLOTS[:-1]:
        body = ", ".join(c.text for c in slots[slot]) if slots[slot] else "Not measurable in this recording"
        parts.append(f"{slot}: {body}.")
    severity = rng.choice(SEVERITY_PHRASES[score])
    parts.append(f"Overall: {severity[0].upper() + severity[1:]}; {abnormal} of {len(claims)} measures abnormal.")
    parts.append(f"Score: {score}")
    return " ".join(parts), claims
