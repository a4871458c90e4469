"""What the language model reads and writes: motion-token strings, the measured-parameter line and the
chat prompts of each task (describe, generate, assess, direct score)."""

from __future__ import annotations

import re

import numpy as np

from agir.corpus.measures import MEASURES
from agir.errors import AgirError

MOTION_START, MOTION_END = "<motion>", "</motion>"
SYSTEM = "You are a gait assessment assistant. You read motion tokens of a walk and rate gait on MDS-UPDRS item 3.10."
TASKS = {
    "assess": "Assess the gait: explain what you see, then give the score.",
    "direct": "Give the MDS-UPDRS 3.10 gait score only.",
    "describe": "Describe this walk.",
    "generate": "Write the motion tokens of a walk that matches this description:",
}
_MOTION_RE = re.compile(r"<motion_(\d+)>")


def motion_token(code: int) -> str:
    return f"<motion_{code}>"


def motion_vocabulary(size: int) -> list[str]:
    """The added tokens: start/end markers, then one token per code (``size`` = levels x codebook size)."""
    return [MOTION_START, MOTION_END, *(motion_token(i) for i in range(size))]


def select_motion_ids(ids: np.ndarray, levels: int, codebook_size: int, num_quantizers: int, max_steps: int,
                      where: str = "middle") -> np.ndarray:  # fmt: skip
    """Tokenizer ids (steps x all levels, interleaved) -> the first ``levels`` levels of at most ``max_steps``
    steps around the middle of the walk (or from its ``start``), still interleaved."""
    steps = np.asarray(ids, dtype=np.int64).reshape(-1, num_quantizers)[:, :levels]
    if len(steps) > max_steps:
        start = (len(steps) - max_steps) // 2 if where == "middle" else 0
        steps = steps[start : start + max_steps]
    return steps.reshape(-1)


def motion_text(ids: np.ndarray) -> str:
    return MOTION_START + "".join(motion_token(int(i)) for i in ids) + MOTION_END


def parse_motion_text(text: str) -> np.ndarray:
    """The codes of every ``<motion_k>`` token in ``text`` (in order)."""
    codes = [int(m) for m in _MOTION_RE.findall(text)]
    if not codes:
        raise AgirError("the model wrote no motion tokens")
    return np.asarray(codes, dtype=np.int64)


_PARAMETER_LABELS = (
    ("speed", ("speed_m_s",)),
    ("stride length", ("stride_length_m",)),
    ("cadence", ("cadence_steps_per_min",)),
    ("stride-time variability", ("stride_time_cv_pct",)),
    ("double support", ("double_support_pct",)),
    ("arm swing left, right", ("arm_swing_left_m", "arm_swing_right_m")),
    ("arm-swing asymmetry", ("arm_swing_asymmetry_pct",)),
    ("foot lift left, right", ("foot_clearance_left_m", "foot_clearance_right_m")),
    ("trunk flexion", ("trunk_flexion_deg",)),
    ("turn", ("turn_steps", "turn_duration_s")),
)


def _judged(name: str, value: float | None) -> str:
    """'3 cm (markedly low)' / '1.05 m/s (normal)': the value as shown and the analyser's judgement of it."""
    if value is None:
        return "not measured"
    m = MEASURES[name]
    judgement, degree = m.judge(value)
    return f"{m.show(value)} ({f'{_DEGREE_ADVERBS[degree]} {judgement}' if degree else judgement})"


_DEGREE_ADVERBS = {"slight": "slightly", "moderate": "moderately", "marked": "markedly"}


def parameter_line(flat: dict[str, float | None]) -> str:
    """The measurement step's output as the LM reads it: each parameter shown exactly as the rationales show
    it, with its judgement against the healthy range, and how many of the measures a rationale reports are
    outside their range."""
    import random

    from agir.corpus.texts import rationale

    parts = []
    for label, names in _PARAMETER_LABELS:
        shown = [_judged(n, flat.get(n)) for n in names]
        parts.append(f"{label} {', '.join(shown) if label != 'turn' else ' in '.join(shown)}")
    _, claims = rationale(flat, 0, random.Random(0))
    abnormal = sum(1 for c in claims if c.judgement != "normal")
    return "Measured: " + "; ".join(parts) + f". Outside the healthy range: {abnormal} of {len(claims)} reported measures."


def user_message(task: str, motion: str | None = None, parameters: str | None = None, text: str | None = None) -> str:
    if task == "generate":
        return f"{TASKS['generate']} {text}"
    lines = [motion or "", *([parameters] if parameters else []), TASKS[task]]
    return "\n".join(lines)


def render_prompt(tokenizer, user: str) -> str:  # noqa: ANN001
    """The chat-formatted prompt up to where the assistant's answer starts (a plain
    ``User:/Assistant:`` frame for models without a chat template)."""
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return f"{SYSTEM}\n\nUser: {user}\nAssistant: "


def answer_suffix(tokenizer) -> str:  # noqa: ANN001
    """What closes an assistant turn (the end-of-turn token), learnt so generation stops by itself."""
    return tokenizer.eos_token or ""
