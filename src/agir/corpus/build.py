"""``agir corpus``: measure every walk of a labelled-walk folder and write AGIR's training data.

Output folder (JSON Lines, loadable with ``datasets.load_dataset("json", data_files=...)``):

* ``walks.jsonl``: one record per measured walk: ids, subject, score, the walk file, fps, the flat
  measured parameters, what could not be measured, the stage-1 descriptions, the stage-2 rationale and its
  claims (each with the measure, value and healthy range it rests on).
* ``stage1.jsonl``: one row per description paraphrase (motion <-> description training pairs).
* ``stage2.jsonl``: one row per labelled walk: rationale ending in ``Score: k``, with its claims.
* ``splits.json``: subject-wise folds (``kfold5``, ``loso``, ...); ``skipped.jsonl``: walks that could not
  be measured and why; ``corpus.json``: settings and counts; ``README.md``: a dataset card.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from agir import __version__
from agir.corpus.measures import flat_parameters
from agir.corpus.splits import make_splits, subject_scores
from agir.corpus.texts import describe, rationale
from agir.errors import AgirError
from agir.gait import analyze_motion
from agir.readers import read_motion
from agir.readers.labelled import LabelledWalk, atomic_write_text, check_new_folder, read_manifest, staged_folder


@dataclass(frozen=True)
class CorpusConfig:
    paraphrases: int = 3
    splits: str = "kfold:5"
    seed: int = 0


def measure_walk(walk: LabelledWalk) -> dict:
    """Read and measure one walk: {'ok': True, fps, frames, parameters, unavailable} or {'ok': False, error}."""
    try:
        motion = read_motion(walk.path, walk.format, walk.joints, walk.units, walk.fps)
        params = analyze_motion(motion).parameters
    except AgirError as exc:
        return {"ok": False, "error": str(exc)}
    return {"ok": True, "fps": motion.fps, "frames": motion.n_frames, "format": motion.source.format,
            "parameters": flat_parameters(params),
            "unavailable": [f"{k}: {v}" for k, v in params.unavailable.items()]}  # fmt: skip


def _texts(walk: LabelledWalk, flat: dict, config: CorpusConfig) -> tuple[list[tuple[str, list]], tuple | None]:
    descriptions = []
    for i in range(config.paraphrases):
        text, claims = describe(flat, random.Random(f"{config.seed}:{walk.walk_id}:d{i}"))
        descriptions.append((text, [c.to_dict() for c in claims]))
    reason = None
    if walk.score is not None:
        text, claims = rationale(flat, walk.score, random.Random(f"{config.seed}:{walk.walk_id}:r"))
        reason = (text, [c.to_dict() for c in claims])
    return descriptions, reason


def _jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def build_corpus(data_dir: str | Path, out_dir: str | Path, config: CorpusConfig = CorpusConfig(),
                 workers: int | None = None, progress: Callable[[int, int], None] | None = None) -> dict:  # fmt: skip
    """Build the corpus of ``data_dir`` into the new folder ``out_dir``; returns the summary (corpus.json).

    Raises :class:`AgirError` for a bad manifest, an existing non-empty output folder, bad split settings,
    or when no walk could be measured. Written to a staging folder and moved into place at the end.
    """
    data_dir, out = Path(data_dir), Path(out_dir)
    walks = read_manifest(data_dir)
    if config.paraphrases < 1:
        raise AgirError("--paraphrases must be at least 1")
    check_new_folder(out)  # before the slow part; checked again when the folder is written
    workers = max(1, min(workers or os.cpu_count() or 1, len(walks)))
    measured: list[dict] = []
    if workers == 1:
        for i, w in enumerate(walks):
            measured.append(measure_walk(w))
            if progress:
                progress(i + 1, len(walks))
    else:
        with ProcessPoolExecutor(workers) as pool:
            for i, result in enumerate(pool.map(measure_walk, walks, chunksize=4)):
                measured.append(result)
                if progress:
                    progress(i + 1, len(walks))

    records, stage1, stage2, skipped = [], [], [], []
    for walk, m in zip(walks, measured):
        if not m["ok"]:
            skipped.append({"walk_id": walk.walk_id, "file": str(walk.path), "error": m["error"]})
            continue
        descriptions, reason = _texts(walk, m["parameters"], config)
        base = {"walk_id": walk.walk_id, "subject": walk.subject, "score": walk.score, "file": str(walk.path.resolve())}
        records.append({**base, "format": m["format"], "fps": m["fps"], "frames": m["frames"],
                        "parameters": m["parameters"], "unavailable": m["unavailable"],
                        "descriptions": [d for d, _ in descriptions],
                        "rationale": reason[0] if reason else None, "claims": reason[1] if reason else []})  # fmt: skip
        stage1 += [{**base, "paraphrase": i, "text": d, "claims": c} for i, (d, c) in enumerate(descriptions)]
        if reason:
            stage2.append({**base, "rationale": reason[0], "claims": reason[1]})
    if not records:
        first = skipped[0]["error"] if skipped else "no walks"
        raise AgirError(f"{data_dir}: none of the {len(walks)} walks could be measured (first error: {first})")
    splits = make_splits(subject_scores([(r["subject"], r["score"]) for r in records]), config.splits, config.seed)
    summary = {
        "agir_version": __version__, "data_dir": str(data_dir.resolve()), "config": asdict(config),
        "walks": len(records), "skipped": len(skipped), "subjects": len({r["subject"] for r in records}),
        "scores": {str(k): v for k, v in sorted(Counter(r["score"] for r in records if r["score"] is not None).items())},
        "unlabelled": sum(1 for r in records if r["score"] is None),
        "stage1_rows": len(stage1), "stage2_rows": len(stage2), "splits": sorted(splits),
    }  # fmt: skip
    with staged_folder(out) as staging:
        atomic_write_text(staging / "walks.jsonl", _jsonl(records))
        atomic_write_text(staging / "stage1.jsonl", _jsonl(stage1))
        atomic_write_text(staging / "stage2.jsonl", _jsonl(stage2))
        atomic_write_text(staging / "skipped.jsonl", _jsonl(skipped))
        atomic_write_text(staging / "splits.json", json.dumps(splits, indent=1) + "\n")
        atomic_write_text(staging / "corpus.json", json.dumps(summary, indent=2) + "\n")
        atomic_write_text(staging / "README.md", _card(summary, stage2[0] if stage2 else None))
    return summary


def _card(summary: dict, example: dict | None) -> str:
    lines = [
        "# AGIR gait corpus", "",
        f"Built by agir {summary['agir_version']} from `{summary['data_dir']}`: {summary['walks']} walks of "
        f"{summary['subjects']} subjects ({summary['skipped']} skipped, see skipped.jsonl); scores "
        + ", ".join(f"{k}: {v}" for k, v in summary["scores"].items()) + f"; unlabelled: {summary['unlabelled']}.", "",
        f"- stage1.jsonl: {summary['stage1_rows']} description rows ({summary['config']['paraphrases']} paraphrases per walk)",
        f"- stage2.jsonl: {summary['stage2_rows']} rationale rows", f"- splits.json: {', '.join(summary['splits'])} (by subject)", "",
        "Every claim in a text is derived from a parameter measured on the walk by `agir.gait` and is stored with "
        "the measure, its value (SI units) and the healthy range it was judged against.", "",
        "```python", "from datasets import load_dataset",
        "stage2 = load_dataset('json', data_files='stage2.jsonl', split='train')", "```",
    ]  # fmt: skip
    if example:
        lines += ["", "Example rationale:", "", f"> {example['rationale']}"]
    return "\n".join(lines) + "\n"
