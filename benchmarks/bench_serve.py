"""Load check of `agir serve`: N concurrent POST /api/assess requests on loopback (default 50) must all
succeed; prints p50 / p95 / max latency and the throughput. The server batches concurrent walks
(--max-batch) through its one shared model.

    .venv/bin/python benchmarks/bench_serve.py [--model models/agir] [--requests 50] [--walk examples/cmu/07_06.bvh]
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()  # fmt: skip
    return body, f"multipart/form-data; boundary={boundary}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "agir"))
    parser.add_argument("--walk", default=str(ROOT / "examples" / "cmu" / "07_06.bvh"))
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--max-batch", type=int, default=8)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "agir.cli", "serve", "--port", str(port), "--model", args.model,
                               "--max-batch", str(args.max_batch)])  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        body, content_type = multipart(Path(args.walk).name, Path(args.walk).read_bytes())

        def one(_: int) -> tuple[int, float]:
            start = time.perf_counter()
            request = urllib.request.Request(base + "/api/assess", data=body, headers={"Content-Type": content_type})
            try:
                with urllib.request.urlopen(request, timeout=1800) as r:
                    status = r.status
                    r.read()
            except urllib.error.HTTPError as exc:
                status = exc.code
            return status, time.perf_counter() - start

        started = time.perf_counter()
        with ThreadPoolExecutor(args.requests) as pool:
            results = list(pool.map(one, range(args.requests)))
        wall = time.perf_counter() - started
        latencies = sorted(t for _, t in results)
        ok = sum(1 for s, _ in results if s == 200)
        p95 = latencies[min(len(latencies) - 1, int(round(0.95 * len(latencies))) - 1)]
        print(f"{ok}/{args.requests} succeeded; latency p50 {statistics.median(latencies):.1f} s, p95 {p95:.1f} s, "
              f"max {latencies[-1]:.1f} s; {args.requests / wall:.2f} walks/s over {wall:.1f} s (max batch {args.max_batch})")
        print(f"health afterwards: {urllib.request.urlopen(base + '/api/health', timeout=5).status}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
