"""``agir assess``: read a walk, measure it, tokenize it, let the LM reason and score, check its claims."""

from __future__ import annotations

import csv
import io
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from agir.assess.claims import check_rationale
from agir.corpus.measures import flat_parameters
from agir.errors import AgirError
from agir.gait import analyze_motion
from agir.gait.analysis import GaitAnalysis
from agir.lm.model import AgirLM
from agir.readers import read_motion
from agir.readers.labelled import atomic_write_text
from agir.skeleton import Motion

MOTION_SUFFIXES = (".bvh", ".c3d", ".trc", ".npy", ".npz", ".pkl")


def default_model_dir() -> Path:
    """``$AGIR_MODEL`` or the reference model shipped in the repository (``models/agir``)."""
    env = os.environ.get("AGIR_MODEL")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "models" / "agir"


@dataclass
class Assessment:
    """One walk's verdict: score 0-4 with its probabilities, the rationale, the measured parameters (SI
    units: metres, seconds, degrees, %) and each claim's check against them."""

    source: dict
    score: int
    probabilities: dict[str, float]
    rationale: str
    parameters: dict[str, float | None]
    claims: list[dict]
    faithfulness: float | None
    model: str
    generated_tokens: float
    seconds: float
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


class Assessor:
    """Loads the model once; assesses motions in batches."""

    def __init__(self, model_dir: str | Path | None = None, precision: str = "auto") -> None:
        folder = Path(model_dir) if model_dir else default_model_dir()
        if not folder.exists():
            raise AgirError(f"{folder}: model folder not found; pass --model DIR (a folder written by `agir train`)")
        self.lm = AgirLM(folder, precision)

    def assess_motions(self, motions: list[Motion], max_new_tokens: int = 220,
                       analyses: list[GaitAnalysis] | None = None) -> list[Assessment]:  # fmt: skip
        """Assess walks in one batch; ``analyses`` (one per walk) saves measuring walks a caller already measured."""
        started = time.perf_counter()
        flats, ids, notes = [], [], []
        for i, motion in enumerate(motions):
            analysis = analyses[i] if analyses else analyze_motion(motion)
            flats.append(flat_parameters(analysis.parameters))
            ids.append(self.lm.motion_ids(motion))
            notes.append(list(motion.source.notes) + list(analysis.parameters.notes))
        answers = self.lm.assess(ids, flats, max_new_tokens)
        seconds = (time.perf_counter() - started) / max(len(motions), 1)
        out = []
        for motion, flat, answer, note in zip(motions, flats, answers, notes):
            checks, faithfulness = check_rationale(answer["rationale"], flat)
            source = {"path": motion.source.path, "format": motion.source.format, "fps": motion.fps,
                      "frames": motion.n_frames, "duration_s": motion.n_frames / motion.fps}  # fmt: skip
            out.append(Assessment(source, answer["score"], answer["probabilities"], answer["rationale"], flat,
                                  [c.to_dict() for c in checks], faithfulness, self.lm.version,
                                  answer["generated_tokens"], seconds, note))  # fmt: skip
        return out

    def assess_file(self, path: str | Path, fmt: str | None = None, joints: str | None = None, units: str = "auto",
                    fps: float | None = None) -> Assessment:  # fmt: skip
        return self.assess_motions([read_motion(path, fmt, joints, units, fps)])[0]


CSV_COLUMNS = ("file", "score", "p0", "p1", "p2", "p3", "p4", "faithfulness", "speed_m_s", "stride_length_m",
               "cadence_steps_per_min", "arm_swing_left_m", "arm_swing_right_m", "trunk_flexion_deg", "rationale", "error")  # fmt: skip


def motion_files(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in MOTION_SUFFIXES)
    if not files:
        raise AgirError(f"{folder}: no motion files ({' '.join(MOTION_SUFFIXES)})")
    return files


def assess_folder(folder: str | Path, out_csv: str | Path, assessor: Assessor, batch: int = 8,
                  progress: Callable[[int, int], None] | None = None) -> list[dict]:  # fmt: skip
    """Assess every motion file of ``folder``; write one CSV row per file (unreadable files get their error
    in the ``error`` column, the rest still run). The CSV is written atomically at the end."""
    files = motion_files(Path(folder))
    rows: list[dict] = []
    pending: list[tuple[Path, Motion]] = []

    def flush() -> None:
        for (path, _), a in zip(pending, assessor.assess_motions([m for _, m in pending])):
            p = a.parameters
            rows.append({"file": path.name, "score": a.score, **{f"p{k}": round(v, 4) for k, v in ((k, a.probabilities[str(k)]) for k in range(5))},
                         "faithfulness": "" if a.faithfulness is None else round(a.faithfulness, 3),
                         **{k: "" if p.get(k) is None else p[k] for k in CSV_COLUMNS[8:14]}, "rationale": a.rationale, "error": ""})  # fmt: skip
        pending.clear()

    for i, path in enumerate(files):
        try:
            pending.append((path, read_motion(path)))
        except AgirError as exc:
            rows.append({"file": path.name, "error": str(exc)})
        if len(pending) >= batch or i == len(files) - 1:
            if pending:
                flush()
        if progress:
            progress(i + 1, len(files))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, restval="")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda r: r["file"]))
    atomic_write_text(Path(out_csv), buffer.getvalue())
    return rows
