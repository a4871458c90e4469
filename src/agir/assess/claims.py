"""Check every statement of a generated rationale against the parameters measured on the walk.

A rationale is ``Foot: ... Arm: ... Posture: ... Turning: ... Overall: ...; k of n measures abnormal.``
Each comma-separated clause of the first four slots names a measure (found through the corpus lexicon's
noun phrases), cites a value in brackets and claims a direction (an adjective of that measure's family:
reduced / normal / elevated ...). A clause is *consistent* when the measure exists in the measurements, the
cited value equals the measured value as displayed (within one display unit) and the claimed direction is
the one the healthy range gives. ``k of n measures abnormal`` is checked against the measured values of the
cited measures. Clauses that name no known measure count as inconsistent (nothing backs them).
Foot lift is cited once, for the lower foot (the corpus convention).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from agir.corpus.lexicon import ADJECTIVES, NOUNS, family
from agir.corpus.measures import MEASURES

_SLOT_RE = re.compile(r"\b(Foot|Arm|Posture|Turning|Overall):")
_VALUE_RE = re.compile(r"\((-?\d+(?:\.\d+)?)\s*(m/s|steps/min|steps?|cm|deg|m|s|%)?\)")
_COUNT_RE = re.compile(r"(\d+) of (\d+) measures abnormal")


@dataclass
class ClaimCheck:
    """One statement and its check. ``measured`` and ``cited`` are in display units (cm, %, deg ...)."""

    text: str
    parameter: str | None
    measured: float | None
    cited: float | None
    claimed: str | None
    expected: str | None
    healthy_range: tuple[float, float] | None
    unit: str | None
    consistent: bool
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


def _nouns() -> list[tuple[str, str]]:
    pairs = [(noun, fam) for fam, nouns in NOUNS.items() for noun in nouns]
    pairs += [(f"{side} arm swing", f"arm_swing_{side}_m") for side in ("left", "right")]
    return sorted(pairs, key=lambda p: -len(p[0]))


_NOUN_LIST = _nouns()


def _measure_for(clause: str, flat: dict) -> str | None:
    lower = clause.lower()
    for noun, key in _NOUN_LIST:
        if re.search(rf"(?<![\w-]){re.escape(noun)}(?![\w-])", lower):
            if key == "arm_swing":  # a side-less arm swing: the less swinging arm
                key = "arm_swing_left_m" if (flat.get("arm_swing_left_m") or 0) <= (flat.get("arm_swing_right_m") or 0) else "arm_swing_right_m"
            if key == "foot_clearance":
                left, right = flat.get("foot_clearance_left_m"), flat.get("foot_clearance_right_m")
                key = "foot_clearance_left_m" if right is None or (left is not None and left <= right) else "foot_clearance_right_m"
            return key
    return None


def _claimed_direction(clause: str, measure: str) -> str | None:
    lower = clause.lower()
    words = ADJECTIVES[family(measure)]
    # a word in both the low and the normal list ('small' turn, 'normal' variability) reads as normal
    found = [(len(adj), "normal" if adj in words["normal"] else direction) for direction, adjs in words.items()
             for adj in adjs if re.search(rf"(?<![\w-]){re.escape(adj)}(?![\w-])", lower)]  # fmt: skip
    return max(found)[1] if found else None


def check_clause(text: str, flat: dict[str, float | None]) -> ClaimCheck:
    measure = _measure_for(text, flat)
    value = _VALUE_RE.search(text)
    cited = float(value.group(1)) if value else None
    if measure is None:
        return ClaimCheck(text, None, None, cited, None, None, None, None, False, "names no measured parameter")
    m = MEASURES[measure]
    claimed = _claimed_direction(text, measure)
    measured_si = flat.get(measure)
    if measured_si is None:
        return ClaimCheck(text, measure, None, cited, claimed, None, (m.low * m.scale, m.high * m.scale), m.unit, False,
                          "the parameter could not be measured on this walk")  # fmt: skip
    expected = m.judge(measured_si)[0]
    measured = round(measured_si * m.scale, m.digits)
    unit = 10.0 ** -m.digits
    reasons = []
    if cited is None:
        reasons.append("cites no value")
    elif abs(cited - measured) > unit + 1e-9:
        reasons.append(f"cites {cited:g} but {measured:g} {m.unit} was measured")
    if claimed is None:
        reasons.append("states no direction")
    elif claimed != expected:
        reasons.append(f"says {claimed} but the measured value is {expected} for {m.show_range()}")
    return ClaimCheck(text, measure, measured, cited, claimed, expected, (m.low * m.scale, m.high * m.scale), m.unit,
                      not reasons, "; ".join(reasons) or "agrees with the measurement")  # fmt: skip


def _clauses(body: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in body:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip().rstrip(".").strip() for p in parts if p.strip().rstrip(".").strip()]


def check_rationale(rationale: str, flat: dict[str, float | None]) -> tuple[list[ClaimCheck], float | None]:
    """(checks of every clause, faithfulness = share consistent; None if the rationale makes no claim)."""
    pieces = _SLOT_RE.split(rationale.split("Score:")[0])
    checks: list[ClaimCheck] = []
    for slot, body in zip(pieces[1::2], pieces[2::2]):
        if slot == "Overall":
            count = _COUNT_RE.search(body)
            if count:
                cited_measures = [c for c in checks if c.parameter and c.expected]
                abnormal = sum(1 for c in cited_measures if c.expected != "normal")
                ok = int(count.group(1)) == abnormal and int(count.group(2)) == len(checks)
                checks.append(ClaimCheck(count.group(0), "abnormal_count", float(abnormal), float(count.group(1)), None, None,
                                         None, "measures", ok, "agrees with the measurements" if ok else
                                         f"{abnormal} of {len(checks)} cited measures are outside their healthy range"))  # fmt: skip
            continue
        if "not measurable" in body.lower():
            continue
        checks.extend(check_clause(clause, flat) for clause in _clauses(body))
    if not checks:
        return checks, None
    return checks, sum(c.consistent for c in checks) / len(checks)
