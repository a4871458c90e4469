"""Importers: the real datasets' layouts -> a labelled-walk folder (canonical ``.npz`` + ``manifest.csv``).

* CARE-PD pickles: nested dicts ``{subject: {walk: {pose, trans, fps, UPDRS_GAIT, medication, ...}}}``
  (SMPL parameters; joints by forward kinematics on the template skeleton).
* PD-GaM / HumanML3D feature folders: ``*.npy`` arrays of T x 263 features, with a label CSV.
* BMCLab-style C3D folders: marker files, with a label CSV.

A label CSV needs a column naming the file (``file``, ``filename``, ``name``, ``walk_id`` or ``id``; matched
with or without extension), a subject column (``subject``, ``subject_id``, ``participant``, ``patient``)
and a score column (``score``, ``updrs_gait``, ``gait``, ``label``; empty = unlabelled). Walks that cannot be
read are skipped and listed with the reason in ``import_report.json``.
"""

from __future__ import annotations

import csv
import json
import pickle
import re
from collections.abc import Iterable
from pathlib import Path

from agir.errors import AgirError, MotionFileError
from agir.readers import read_motion
from agir.readers.arrays import iter_carepd_walks, motion_from_smpl
from agir.readers.labelled import atomic_write_text, parse_score, save_walk_npz, staged_folder, write_manifest
from agir.skeleton import Motion

FILE_COLUMNS = ("file", "filename", "file_name", "name", "walk_id", "id")
SUBJECT_COLUMNS = ("subject", "subject_id", "participant", "patient")
SCORE_COLUMNS = ("score", "updrs_gait", "gait", "label", "updrs_3_10")


def _safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "walk"


def _finish(staging: Path, rows: list[dict], skipped: list[dict], source: str) -> dict:
    if not rows:
        first = skipped[0]["error"] if skipped else "nothing found"
        raise AgirError(f"{source}: no walk could be imported (first problem: {first})")
    write_manifest(staging, rows)
    report = {"source": source, "imported": len(rows), "skipped": skipped}
    atomic_write_text(staging / "import_report.json", json.dumps(report, indent=2) + "\n")
    return report


def _save(out: Path, walk_id: str, motion: Motion, meta: dict) -> dict:
    save_walk_npz(out / f"{walk_id}.npz", motion.joints, motion.fps,
                  {**meta, "walk_id": walk_id, "source_format": motion.source.format,
                   "missing_joints": motion.missing_joints})  # fmt: skip
    return {"walk_id": walk_id, "file": f"{walk_id}.npz", "subject": meta["subject"], "score": meta["score"],
            "fps": motion.fps, "frames": motion.n_frames, "source": meta["source"]}  # fmt: skip


def import_carepd(pickles: Iterable[str | Path], out: str | Path) -> dict:
    """CARE-PD pickles -> labelled-walk folder. The subject is the first key level under the pickle (or a
    ``subject``/``subject_id`` field), the score ``UPDRS_GAIT`` (None = unlabelled)."""
    pickles = [Path(p) for p in pickles]
    with staged_folder(Path(out)) as staging:
        return _import_carepd(pickles, staging)


def _import_carepd(pickles: list[Path], out: Path) -> dict:
    rows, skipped, seen = [], [], set()
    for pkl in pickles:
        if not pkl.is_file():
            raise MotionFileError(pkl, "does not exist", "a CARE-PD .pkl file")
        try:
            with pkl.open("rb") as fh:
                data = pickle.load(fh)  # noqa: S301 - research data distributed as pickles
        except Exception as exc:
            raise MotionFileError(pkl, f"not a readable pickle ({type(exc).__name__}: {exc})") from exc
        walks = list(iter_carepd_walks(data))
        if not walks:
            raise MotionFileError(pkl, "no walk with 'pose' and 'trans' found", "CARE-PD dicts with pose/trans/fps")
        for key, entry in walks:
            parts = key.split("/")
            subject = str(entry.get("subject") or entry.get("subject_id") or (parts[0] if len(parts) > 1 else key))
            walk_id = _safe_id(f"{pkl.stem}_{key}")
            if walk_id in seen:
                walk_id = _safe_id(f"{walk_id}_{len(seen)}")
            seen.add(walk_id)
            where = f"{pkl.name}:{key}"
            try:
                raw = entry.get("UPDRS_GAIT")
                score = parse_score("" if raw is None else str(raw), f"walk {key}", pkl)
                motion = motion_from_smpl(entry["pose"], entry["trans"], float(entry.get("fps") or 30.0), pkl, "carepd")
            except (MotionFileError, TypeError, ValueError) as exc:
                skipped.append({"walk": where, "error": str(exc)})
                continue
            meta = {"subject": _safe_id(f"{pkl.stem}_{subject}"), "score": score, "source": where,
                    "medication": str(entry.get("medication")) if entry.get("medication") is not None else None}  # fmt: skip
            rows.append(_save(out, walk_id, motion, meta))
    return _finish(out, rows, skipped, ", ".join(str(p) for p in pickles))


def _column(header: list[str], names: tuple[str, ...], what: str, path: Path) -> str:
    lowered = {h.strip().lower(): h for h in header}
    for name in names:
        if name in lowered:
            return lowered[name]
    raise MotionFileError(path, f"no {what} column (has: {', '.join(header)})", f"one of {', '.join(names)}")


def read_label_csv(path: str | Path) -> list[dict]:
    """Rows of a label CSV as {'file', 'subject', 'score'} with validated scores."""
    path = Path(path)
    if not path.is_file():
        raise MotionFileError(path, "does not exist", "a label CSV")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        file_col = _column(header, FILE_COLUMNS, "file", path)
        subject_col = _column(header, SUBJECT_COLUMNS, "subject", path)
        score_col = _column(header, SCORE_COLUMNS, "score", path)
        rows = []
        for line, row in enumerate(reader, start=2):
            name, subject = (row.get(file_col) or "").strip(), (row.get(subject_col) or "").strip()
            if not name or not subject:
                raise MotionFileError(path, f"line {line}: empty {file_col if not name else subject_col}")
            rows.append({"file": name, "subject": subject,
                         "score": parse_score(row.get(score_col) or "", f"line {line}", path)})  # fmt: skip
    if not rows:
        raise MotionFileError(path, "has no rows", "one row per walk")
    return rows


def import_labelled_files(folder: str | Path, labels: str | Path, out: str | Path, fmt: str,
                          fps: float | None = None) -> dict:  # fmt: skip
    """A folder of walk files (``fmt``: ``humanml3d`` for PD-GaM feature ``.npy``, ``c3d`` for BMCLab) plus a
    label CSV -> labelled-walk folder."""
    folder, out = Path(folder), Path(out)
    if not folder.is_dir():
        raise MotionFileError(folder, "is not a folder", f"a folder of {fmt} files")
    extension = {"humanml3d": ".npy", "c3d": ".c3d"}[fmt]
    files = {p.stem: p for p in sorted(folder.rglob(f"*{extension}"))}
    files.update({p.relative_to(folder).with_suffix("").as_posix(): p for p in files.values()})
    label_rows = read_label_csv(labels)
    with staged_folder(out) as staging:
        return _import_files(folder, files, label_rows, staging, fmt, extension, fps)


def _import_files(folder: Path, files: dict[str, Path], label_rows: list[dict], out: Path, fmt: str,
                  extension: str, fps: float | None) -> dict:  # fmt: skip
    rows, skipped = [], []
    for entry in label_rows:
        key = Path(entry["file"]).with_suffix("").as_posix() if entry["file"].endswith(extension) else entry["file"]
        path = files.get(key) or files.get(Path(key).name)
        if path is None:
            skipped.append({"walk": entry["file"], "error": f"no {extension} file named '{entry['file']}' under {folder}"})
            continue
        try:
            motion = read_motion(path, fmt, fps=fps)
        except MotionFileError as exc:
            skipped.append({"walk": entry["file"], "error": str(exc)})
            continue
        walk_id = _safe_id(path.relative_to(folder).with_suffix("").as_posix())
        rows.append(_save(out, walk_id, motion, {"subject": entry["subject"], "score": entry["score"],
                                                 "source": str(path)}))  # fmt: skip
    return _finish(out, rows, skipped, str(folder))
