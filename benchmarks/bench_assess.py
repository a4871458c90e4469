"""End-to-end `agir assess` latency for a 10 s walk once the model is loaded (target under 5 s including
the rationale): reading, measuring, tokenizing, generating the rationale, scoring and checking claims.
Reports generated tokens per second, and the time of each part.

    .venv/bin/python benchmarks/bench_assess.py [--model models/agir] [--walk examples/cmu/105_29_first15s.bvh] [--repeats 3]
        [--prompt-lookup 10 (draft tokens per pass; 0: plain greedy)] [--no-drafts] [--precision auto|fp32|bf16]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np

from agir.assess.assessment import Assessor
from agir.readers import read_motion
from agir.skeleton import Motion

ROOT = Path(__file__).resolve().parents[1]


def first_seconds(motion: Motion, seconds: float) -> Motion:
    frames = min(motion.n_frames, int(round(seconds * motion.fps)) + 1)
    return dataclasses.replace(motion, joints=np.ascontiguousarray(motion.joints[:frames]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "agir"))
    parser.add_argument("--walk", default=str(ROOT / "examples" / "cmu" / "105_29_first15s.bvh"))
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--prompt-lookup", type=int, default=10, help="draft tokens of prompt-lookup decoding (0: off)")
    parser.add_argument("--no-drafts", action="store_true",
                        help="draft from the prompt (transformers' prompt lookup) instead of the model's n-gram drafts")
    parser.add_argument("--precision", default="auto", help="LM inference precision: auto fp32 bf16")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}")
    started = time.perf_counter()
    assessor = Assessor(args.model, args.precision)
    assessor.lm.prompt_lookup = args.prompt_lookup
    if args.no_drafts:
        assessor.lm.drafter = None
    print(f"model load: {time.perf_counter() - started:.1f} s ({assessor.lm.version})")
    motion = first_seconds(read_motion(args.walk), args.seconds)
    print(f"walk: {args.walk}, {motion.n_frames / motion.fps:.1f} s at {motion.fps:g} fps")
    assessor.assess_motions([motion])  # warm-up
    totals, rates = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        a = assessor.assess_motions([motion])[0]
        totals.append(time.perf_counter() - t0)
        rates.append(a.generated_tokens / totals[-1])
    print(f"assess latency: median {statistics.median(totals):.2f} s (min {min(totals):.2f}, max {max(totals):.2f}) over "
          f"{args.repeats} runs (prompt lookup {args.prompt_lookup}); {a.generated_tokens:.0f} generated tokens, {statistics.median(rates):.1f} tokens/s end to end")
    passes = getattr(assessor.lm, "last_forward_passes", None)
    if passes:
        print(f"speculative decoding: {passes} forward passes for {a.generated_tokens:.0f} tokens "
              f"({a.generated_tokens / passes:.1f} tokens confirmed per pass)")
    print(f"score {a.score}, faithfulness {a.faithfulness}, rationale: {a.rationale}")


if __name__ == "__main__":
    main()
