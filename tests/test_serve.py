"""The web API: a real walk in, the assessment out; every error path answers 4xx with a message and the
server keeps answering; concurrent requests share the one model."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from agir.serve.app import ServeConfig, create_app


@pytest.fixture(scope="module")
def client(tiny_model: Path) -> TestClient:
    return TestClient(create_app(ServeConfig(model_dir=str(tiny_model), max_upload_mb=1.0, max_seconds=60)))


def post(client: TestClient, name: str, data: bytes, route: str = "/api/assess"):  # noqa: ANN201
    return client.post(route, files={"file": (name, io.BytesIO(data), "application/octet-stream")})


def test_health_and_docs(client: TestClient) -> None:
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and "tiny-llama" in health["model"]
    assert client.get("/docs").status_code == 200 and "/api/assess" in client.get("/openapi.json").text
    assert "Drop a motion file" in client.get("/").text


def test_assess_a_real_walk(client: TestClient, cmu_dir: Path) -> None:
    r = post(client, "136_22.bvh", (cmu_dir / "136_22.bvh").read_bytes())
    assert r.status_code == 200, r.text
    data = r.json()
    assert set(data) >= {"score", "probabilities", "rationale", "parameters", "claims", "faithfulness"}
    assert data["source"]["path"] == "136_22.bvh" and data["parameters"]["speed_m_s"] == pytest.approx(1.16, abs=0.02)
    report = post(client, "136_22.bvh", (cmu_dir / "136_22.bvh").read_bytes(), "/api/report")
    assert report.status_code == 200 and 'id="score"' in report.text


def _nan_walk() -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.full((100, 22, 3), np.nan))
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "status", "words"), [
    ("empty.bvh", b"", 400, "empty"),
    ("walk.txt", b"hello", 415, "unsupported file type"),
    ("walk.pkl", b"\x80\x04N.", 415, "unsupported file type"),
    ("truncated.bvh", None, 422, "truncated.bvh"),
    ("big.bvh", b"x" * (1024 * 1024 + 10), 413, "upload limit"),
    ("nan.npy", _nan_walk(), 422, "nan.npy"),
])  # fmt: skip
def test_bad_uploads_get_a_4xx_message_and_the_server_stays_up(client: TestClient, cmu_dir: Path, name: str,
                                                               data: bytes | None, status: int, words: str) -> None:  # fmt: skip
    if data is None:
        full = (cmu_dir / "136_22.bvh").read_bytes()
        data = full[: len(full) // 3]
    r = post(client, name, data)
    assert r.status_code == status, r.text
    assert words in r.json()["error"]
    assert "/tmp" not in r.json()["error"]  # the server's paths are not leaked
    assert client.get("/api/health").status_code == 200


def test_too_long_a_walk_is_refused(tiny_model: Path, cmu_dir: Path) -> None:
    short = TestClient(create_app(ServeConfig(model_dir=str(tiny_model), max_seconds=2)))
    r = post(short, "136_22.bvh", (cmu_dir / "136_22.bvh").read_bytes())
    assert r.status_code == 413 and "limit is 2 s" in r.json()["error"]


def test_concurrent_requests_share_the_model(client: TestClient, cmu_dir: Path) -> None:
    data = (cmu_dir / "07_06.bvh").read_bytes()
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: post(client, "07_06.bvh", data), range(6)))
    assert [r.status_code for r in results] == [200] * 6
    assert len({r.json()["score"] for r in results}) == 1
