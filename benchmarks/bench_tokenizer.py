"""Tokenizer speed on this CPU: a 10 s walk from joints to token ids (target under 50 ms), and walks per
second when encoding batches.

    .venv/bin/python benchmarks/bench_tokenizer.py [--model models/tokenizer]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import torch

from agir.synth.severity import draw_subject, draw_walk
from agir.synth.walk import generate_walk
from agir.tokenizer.features import joints_to_features, resample_joints
from agir.tokenizer.model import MotionTokenizer

ROOT = Path(__file__).resolve().parents[1]


def best_of(fn, repeats: int = 20) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "tokenizer")
    args = parser.parse_args()
    model = MotionTokenizer.from_pretrained(args.model)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads; model {args.model.name}: "
          f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f} M parameters")  # fmt: skip
    rng = np.random.default_rng(0)
    walk = generate_walk(draw_walk(rng, draw_subject(rng, "bench", 1), 0, 60.0))
    joints = walk.joints[: 10 * 60 + 1].astype(np.float64)  # 10 s at 60 fps

    def tokenize() -> np.ndarray:
        return model.encode(joints_to_features(resample_joints(joints, 60.0, model.config.fps)))

    tokenize()
    single = best_of(tokenize)
    features = joints_to_features(resample_joints(joints, 60.0, model.config.fps))
    encode_only = best_of(lambda: model.encode(features))
    print(f"10 s walk (60 fps joints -> {len(features)} frames at {model.config.fps:g} fps -> "
          f"{len(tokenize())} tokens): {single * 1000:.1f} ms including resampling and features, "
          f"{encode_only * 1000:.1f} ms encoder + quantizer only (target < 50 ms)")
    for batch in (8, 32, 128):
        walks = [features] * batch
        seconds = best_of(lambda walks=walks: model.encode_batch(walks), repeats=5)
        print(f"batch of {batch} 10 s walks: {seconds * 1000:.0f} ms, {batch / seconds:.0f} walks/s")
    ids = tokenize()
    decode = best_of(lambda: model.decode(ids, len(features)))
    print(f"decoding the 10 s walk: {decode * 1000:.1f} ms")


if __name__ == "__main__":
    main()
