"""Labelled-walk folders: the interchange format between data sources (``agir synth``, the dataset
importers, a user's own recordings) and ``agir corpus``.

A folder holds walk files in any format the readers take and a ``manifest.csv`` with one row per walk:

======== ======== =================================================================================
column   required meaning
======== ======== =================================================================================
file     yes      path of the walk file, relative to the folder (or absolute)
subject  yes      subject id: splits never put one subject in both train and test
score    yes      MDS-UPDRS 3.10 gait score 0-4 (empty = unlabelled)
walk_id  no       unique id (default: the file name without extension)
format   no       reader override (bvh c3d trc npy npz humanml3d carepd)
joints   no       joint layout of arrays (smpl22 smpl24 h36m17 coco17 halpe26)
units    no       length unit of BVH/arrays (default auto)
fps      no       frame rate where the file has none
======== ======== =================================================================================

Other columns are kept as metadata. Walk ``.npz`` files written here hold ``joints`` (T x 22 x 3 float32,
metres, y up, SMPL-22 order), ``fps``, ``layout`` = ``smpl22`` and a JSON ``meta`` string.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from agir.errors import AgirError, MotionFileError

MANIFEST = "manifest.csv"
REQUIRED_COLUMNS = ("file", "subject", "score")
OPTIONAL_COLUMNS = ("walk_id", "format", "joints", "units", "fps")
MAX_SCORE = 4
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@dataclass
class LabelledWalk:
    """One manifest row: where the walk is, whose it is and its score (None = unlabelled)."""

    walk_id: str
    path: Path
    subject: str
    score: int | None
    format: str | None = None
    joints: str | None = None
    units: str = "auto"
    fps: float | None = None
    extra: dict[str, str] = field(default_factory=dict)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; give the file normal permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def check_new_folder(out: Path) -> None:
    """Raise :class:`AgirError` unless ``out`` is absent or an empty folder (outputs never overwrite)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise AgirError(f"{out}: already exists and is not an empty folder; choose a new output folder")


@contextmanager
def staged_folder(out: Path) -> Iterator[Path]:
    """Write a new output folder all or nothing: yields a staging folder beside ``out`` that is renamed to
    ``out`` when the block succeeds and removed when it fails. ``out`` must not exist or be empty."""
    check_new_folder(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
        if out.exists():
            out.rmdir()
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def save_walk_npz(path: Path, joints: np.ndarray, fps: float, meta: dict) -> None:
    """Write a canonical walk (T x 22 x 3 metres, y up) with its metadata, atomically."""
    buffer = io.BytesIO()
    np.savez(buffer, joints=np.asarray(joints, dtype=np.float32), fps=np.float64(fps), layout=np.str_("smpl22"),
             meta=np.str_(json.dumps(meta)))  # fmt: skip
    atomic_write_bytes(path, buffer.getvalue())


def load_walk_meta(path: Path) -> dict:
    """The JSON ``meta`` of a walk ``.npz`` written by :func:`save_walk_npz` ({} if it has none)."""
    with np.load(path, allow_pickle=False) as data:
        return json.loads(str(data["meta"])) if "meta" in data.files else {}


def write_manifest(folder: Path, rows: list[dict]) -> Path:
    """Write ``manifest.csv`` (columns: the required ones, then the others in first-seen order)."""
    columns = ["walk_id", *REQUIRED_COLUMNS]
    for row in rows:
        columns += [k for k in row if k not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})
    path = folder / MANIFEST
    atomic_write_text(path, out.getvalue())
    return path


def parse_score(value: str, where: str, path: Path) -> int | None:
    """A 0-4 integer score from text ('' / 'nan' / 'none' = unlabelled); clear error otherwise."""
    text = value.strip().lower()
    if text in ("", "nan", "none", "na", "n/a"):
        return None
    try:
        number = float(text)
    except ValueError:
        raise MotionFileError(path, f"{where}: score '{value}' is not a number", "an integer 0-4 or empty") from None
    if number != int(number) or not 0 <= number <= MAX_SCORE:
        raise MotionFileError(path, f"{where}: score {value} is out of range", "an integer 0-4 or empty")
    return int(number)


def read_manifest(folder: str | Path) -> list[LabelledWalk]:
    """Read and validate ``folder/manifest.csv``; every listed file must exist."""
    folder = Path(folder)
    path = folder / MANIFEST
    if not folder.is_dir():
        raise MotionFileError(folder, "is not a folder", f"a folder with a {MANIFEST}")
    if not path.exists():
        raise MotionFileError(path, "does not exist", f"a {MANIFEST} with columns {', '.join(REQUIRED_COLUMNS)}")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise MotionFileError(path, f"missing column(s) {', '.join(missing)} (has: {', '.join(header) or 'none'})",
                                  f"columns {', '.join(REQUIRED_COLUMNS)}")  # fmt: skip
        walks: list[LabelledWalk] = []
        seen: set[str] = set()
        for line, row in enumerate(reader, start=2):
            where = f"line {line}"
            file = (row.get("file") or "").strip()
            if not file:
                raise MotionFileError(path, f"{where}: empty 'file'", "a walk file path")
            walk_path = Path(file) if Path(file).is_absolute() else folder / file
            if not walk_path.exists():
                raise MotionFileError(path, f"{where}: walk file '{file}' does not exist", "paths relative to the folder")
            subject = (row.get("subject") or "").strip()
            if not subject:
                raise MotionFileError(path, f"{where}: empty 'subject'", "a subject id for subject-wise splits")
            walk_id = (row.get("walk_id") or "").strip() or Path(file).stem
            if walk_id in seen:
                raise MotionFileError(path, f"{where}: duplicate walk_id '{walk_id}'", "unique walk ids")
            seen.add(walk_id)
            fps_text = (row.get("fps") or "").strip()
            try:
                fps = float(fps_text) if fps_text else None
            except ValueError:
                raise MotionFileError(path, f"{where}: fps '{fps_text}' is not a number") from None
            walks.append(LabelledWalk(
                walk_id=walk_id, path=walk_path, subject=subject, score=parse_score(row.get("score") or "", where, path),
                format=(row.get("format") or "").strip() or None, joints=(row.get("joints") or "").strip() or None,
                units=(row.get("units") or "").strip() or "auto", fps=fps,
                extra={k: v for k, v in row.items() if k not in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) and k},
            ))  # fmt: skip
    if not walks:
        raise MotionFileError(path, "lists no walks", "one row per walk")
    return walks
