"""One shared model for all requests: concurrent requests are queued and assessed together in batches of up
to ``max_batch`` walks by a single worker thread (the model is never used by two threads at once)."""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future

from agir.assess.assessment import Assessment, Assessor
from agir.gait.analysis import GaitAnalysis
from agir.skeleton import Motion


class AssessmentBatcher:
    def __init__(self, assessor: Assessor, max_batch: int = 8) -> None:
        self.assessor = assessor
        self.max_batch = max_batch
        self._queue: queue.Queue[tuple[Motion, GaitAnalysis, Future]] = queue.Queue()
        self._worker = threading.Thread(target=self._run, name="agir-assess", daemon=True)
        self._worker.start()

    def submit(self, motion: Motion, analysis: GaitAnalysis) -> Future:
        future: Future = Future()
        self._queue.put((motion, analysis, future))
        return future

    def assess(self, motion: Motion, analysis: GaitAnalysis, timeout_s: float | None = None) -> Assessment:
        """``analysis`` is the walk's measurement, done by the caller (it is not repeated here)."""
        return self.submit(motion, analysis).result(timeout_s)

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                results = self.assessor.assess_motions([m for m, _, _ in batch], analyses=[a for _, a, _ in batch])
            except Exception:  # noqa: BLE001 - one bad walk must not fail the others: retry them one by one
                for motion, analysis, future in batch:
                    try:
                        future.set_result(self.assessor.assess_motions([motion], analyses=[analysis])[0])
                    except Exception as exc:  # noqa: BLE001
                        future.set_exception(exc)
                continue
            for (_, _, future), result in zip(batch, results):
                future.set_result(result)
