"""Time `agir synth` for 1000 walks (target: under 2 minutes on a 2-core CPU), then build their corpus and
report how separable the scores are from the measured parameters (random forest, subject-wise 5-fold).

    .venv/bin/python benchmarks/bench_synth.py [--subjects 250] [--walks-per-subject 4] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from agir.corpus.build import CorpusConfig, build_corpus
from agir.corpus.separability import separability
from agir.synth.dataset import SynthConfig, write_synthetic_dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=250)
    parser.add_argument("--walks-per-subject", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        data, corpus = Path(tmp) / "walks", Path(tmp) / "corpus"
        config = SynthConfig(subjects=args.subjects, walks_per_subject=args.walks_per_subject, seed=args.seed)
        start = time.perf_counter()
        rows = write_synthetic_dataset(data, config, args.workers)
        synth_s = time.perf_counter() - start
        minutes = sum(r["duration_s"] for r in rows) / 60
        size_mb = sum(p.stat().st_size for p in data.iterdir()) / 1e6
        print(f"agir synth: {len(rows)} walks ({minutes:.0f} min of walking, {size_mb:.0f} MB) in {synth_s:.1f} s")
        start = time.perf_counter()
        summary = build_corpus(data, corpus, CorpusConfig(splits="kfold:5"), args.workers)
        corpus_s = time.perf_counter() - start
        print(f"agir corpus: {summary['walks']} walks measured and written in {corpus_s:.1f} s "
              f"({summary['skipped']} skipped)")
        start = time.perf_counter()
        report = separability(corpus, "kfold5", seed=args.seed)
        print(f"separability ({time.perf_counter() - start:.1f} s), subject-wise 5-fold, {report['walks']} walks of "
              f"{report['subjects']} subjects:")
        for name in ("random_forest", "best_single_parameter", "majority"):
            m = report[name]
            extra = f" ({m['parameter']})" if "parameter" in m else ""
            print(f"  {name}{extra}: macro-F1 {m['macro_f1']:.3f}, accuracy {m['accuracy']:.3f}, "
                  f"balanced accuracy {m['balanced_accuracy']:.3f}")
        print(f"  random forest confusion (rows true 0-3, columns predicted): {report['random_forest']['confusion']}")
        print(f"  chance macro-F1: {report['chance_macro_f1']:.3f}")
        if args.json:
            args.json.write_text(json.dumps({"synth_s": synth_s, "corpus_s": corpus_s, "walks": len(rows),
                                             "separability": report}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
