"""Time `agir analyze` on a 60 s walk at 120 fps (7200 frames).

The walk is built from the bundled CMU out-and-back clip (105_29, 15 s): its motion lines are repeated four
times into one BVH file. Prints the time of reading + analysing in-process (median of 5) and of the whole
command line (`agir analyze --json`, including Python start-up and imports).

    python benchmarks/bench_analyze.py
"""

from __future__ import annotations

import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "examples" / "cmu" / "105_29_first15s.bvh"


def build_60s_bvh(out: Path) -> int:
    text = SOURCE.read_text()
    head, motion = text.split("MOTION", 1)
    lines = [ln for ln in motion.splitlines() if ln.strip()]
    frames = lines[3:]  # after "Frames:", "Frame Time:" and the rest-pose line
    repeated = (frames * 5)[:7200]
    out.write_text(head + "MOTION\nFrames: 7201\nFrame Time: .0083333\n" + lines[2] + "\n" + "\n".join(repeated) + "\n")
    return len(repeated)


def main() -> None:
    from agir.gait import analyze_motion
    from agir.readers import read_motion

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "walk_60s.bvh"
        n = build_60s_bvh(path)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            motion = read_motion(path)
            analysis = analyze_motion(motion)
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "agir.cli", "analyze", str(path), "--json"], check=True,
                       capture_output=True)  # fmt: skip
        cli = time.perf_counter() - start
    print(f"machine: {platform.processor() or platform.machine()}, {platform.python_version()}")
    print(f"walk: {n} frames at 120 fps ({n / 120:.0f} s), {analysis.parameters.n_strides} straight strides")
    print(f"read + analyse (in process, median of 5): {statistics.median(times):.3f} s")
    print(f"agir analyze --json (whole command, incl. start-up): {cli:.3f} s")


if __name__ == "__main__":
    main()
