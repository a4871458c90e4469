"""``agir corpus``: grounded texts, claim records, subject-wise splits, datasets loading, separability."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agir.cli import app
from agir.corpus.build import CorpusConfig, build_corpus
from agir.corpus.lexicon import SEVERITY_PHRASES
from agir.corpus.measures import MEASURES
from agir.corpus.separability import separability
from agir.corpus.texts import SLOTS
from agir.readers.labelled import read_manifest, write_manifest


@pytest.fixture(scope="module")
def corpus_200(synth_200: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "corpus"
    build_corpus(synth_200, out, CorpusConfig(paraphrases=3, splits="kfold:5,loso", seed=0), workers=2)
    return out


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_rationales_rest_on_measured_values(corpus_200: Path) -> None:
    walks = {r["walk_id"]: r for r in _rows(corpus_200 / "walks.jsonl")}
    stage2 = _rows(corpus_200 / "stage2.jsonl")
    assert len(stage2) == 200
    for row in stage2:
        text = row["rationale"]
        assert text.endswith(f"Score: {row['score']}")
        positions = [text.index(f"{slot}:") for slot in SLOTS]
        assert positions == sorted(positions)
        measured = walks[row["walk_id"]]["parameters"]
        assert len(row["claims"]) >= 6
        for claim in row["claims"]:
            measure = MEASURES[claim["measure"]]
            assert claim["value"] == measured[claim["measure"]]
            assert claim["text"] in text and claim["shown"] in claim["text"]
            assert (claim["judgement"], claim["degree"]) == measure.judge(claim["value"])
            assert (claim["low"], claim["high"]) == (measure.low, measure.high)
        abnormal = sum(c["judgement"] != "normal" for c in row["claims"])
        assert f"{abnormal} of {len(row['claims'])} measures abnormal" in text


def test_descriptions_are_varied_paraphrases_with_healthy_ranges(corpus_200: Path) -> None:
    stage1 = _rows(corpus_200 / "stage1.jsonl")
    assert len(stage1) == 600
    by_walk: dict[str, list[str]] = {}
    for row in stage1:
        by_walk.setdefault(row["walk_id"], []).append(row["text"])
        for claim in row["claims"]:
            assert claim["shown"] in row["text"]
            assert MEASURES[claim["measure"]].show_range() in row["text"]
        for topic in ("speed", "stride", "arm", "trunk", "turn", "variability"):
            assert topic in row["text"].lower() or (topic == "arm" and "arm movement" in row["text"].lower())
    assert all(len(set(texts)) == 3 for texts in by_walk.values())
    openings = {texts[0].split(" ")[0] for texts in by_walk.values()}
    assert len(openings) > 5


def test_anchor_wording_is_paraphrased_not_copied(corpus_200: Path) -> None:
    anchors = ("minor gait impairment", "substantial gait impairment", "requires an assistance device",
               "cannot walk at all", "no problems")  # fmt: skip
    phrases = [p.lower() for options in SEVERITY_PHRASES.values() for p in options]
    assert not any(a in p for a in anchors for p in phrases)
    text = (corpus_200 / "stage2.jsonl").read_text().lower()
    assert not any(a in text for a in anchors)


def test_splits_are_subject_wise(corpus_200: Path) -> None:
    splits = json.loads((corpus_200 / "splits.json").read_text())
    subjects = {r["subject"] for r in _rows(corpus_200 / "walks.jsonl")}
    assert set(splits) == {"kfold5", "loso"}
    tested = []
    for fold in splits["kfold5"]["folds"]:
        assert not set(fold["train_subjects"]) & set(fold["test_subjects"])
        assert set(fold["train_subjects"]) | set(fold["test_subjects"]) == subjects
        tested += fold["test_subjects"]
    assert sorted(tested) == sorted(subjects)
    assert len(splits["loso"]["folds"]) == len(subjects) == 50


def test_same_seed_same_corpus(corpus_200: Path, synth_200: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_corpus(synth_200, again, CorpusConfig(paraphrases=3, splits="kfold:5,loso", seed=0), workers=1)
    for name in ("stage1.jsonl", "stage2.jsonl", "splits.json"):
        assert (again / name).read_bytes() == (corpus_200 / name).read_bytes(), name


def test_jsonl_loads_with_datasets(corpus_200: Path) -> None:
    from datasets import load_dataset

    for name, rows in (("walks", 200), ("stage1", 600), ("stage2", 200)):
        data = load_dataset("json", data_files=str(corpus_200 / f"{name}.jsonl"), split="train",
                            cache_dir=str(corpus_200.parent / "hf-cache"))  # fmt: skip
        assert data.num_rows == rows
    assert isinstance(data[0]["claims"][0]["value"], float)


def test_scores_are_separable_but_not_trivially(corpus_200: Path) -> None:
    report = separability(corpus_200, "kfold5")
    forest, single = report["random_forest"]["macro_f1"], report["best_single_parameter"]["macro_f1"]
    majority = report["majority"]["macro_f1"]
    assert forest > majority + 0.3 and forest > report["chance_macro_f1"] + 0.2
    assert forest < 0.95 and single < 0.9
    assert len(report["confusion"] if "confusion" in report else report["random_forest"]["confusion"]) == 4


def test_unlabelled_walks_get_descriptions_only(synth_200: Path, tmp_path: Path) -> None:
    walks = read_manifest(synth_200)[:8]
    rows = [{"walk_id": w.walk_id, "file": str(w.path), "subject": w.subject, "score": None if i < 2 else w.score}
            for i, w in enumerate(walks)]  # fmt: skip
    data = tmp_path / "data"
    data.mkdir()
    write_manifest(data, rows)
    summary = build_corpus(data, tmp_path / "c", CorpusConfig(paraphrases=2, splits="kfold:2"), workers=1)
    assert summary["unlabelled"] == 2 and summary["stage1_rows"] == 16 and summary["stage2_rows"] == 6


@pytest.mark.parametrize("manifest,problem", [
    ("file,subject\nx.npz,S1\n", "missing column(s) score"),
    ("file,subject,score\nnope.npz,S1,1\n", "line 2: walk file 'nope.npz' does not exist"),
    ("file,subject,score\nwalk.npz,S1,7\n", "line 2: score 7 is out of range"),
    ("file,subject,score\nwalk.npz,,1\n", "line 2: empty 'subject'"),
])  # fmt: skip
def test_bad_manifest_is_reported_with_file_and_line(tmp_path: Path, synth_200: Path, manifest: str, problem: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "walk.npz").write_bytes(read_manifest(synth_200)[0].path.read_bytes())
    (data / "manifest.csv").write_text(manifest)
    result = CliRunner().invoke(app, ["corpus", "--data", str(data), "--out", str(tmp_path / "c")])
    assert result.exit_code == 1
    message = re.sub(r"\s+", " ", result.output)
    assert "manifest.csv" in message and problem in message
    assert not (tmp_path / "c").exists()


def test_unmeasurable_walks_are_skipped_with_reason(tmp_path: Path, synth_200: Path) -> None:
    import numpy as np

    data = tmp_path / "data"
    data.mkdir()
    good = read_manifest(synth_200)[::4][:4]
    standing = np.repeat(np.load(good[0].path)["joints"][:1], 60, axis=0)
    np.savez(data / "standing.npz", joints=standing, fps=30.0)
    rows = [{"file": str(w.path), "subject": w.subject, "score": w.score} for w in good]
    write_manifest(data, rows + [{"file": "standing.npz", "subject": "S999", "score": 0}])
    result = CliRunner().invoke(app, ["corpus", "--data", str(data), "--out", str(tmp_path / "c"), "--splits", "kfold:2"])
    assert result.exit_code == 0, result.output
    skipped = _rows(tmp_path / "c" / "skipped.jsonl")
    assert [s["walk_id"] for s in skipped] == ["standing"] and "strides" in skipped[0]["error"]
