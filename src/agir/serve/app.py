"""The FastAPI application: ``POST /api/assess`` (JSON), ``POST /api/report`` (HTML), ``GET /`` (drop a file,
see the report), ``GET /api/health``; OpenAPI docs at ``/docs``.

Safe by default: uploads are capped (bytes and walk length), only motion formats that carry no code are
accepted (no pickles), each upload lives in its own temporary folder that is removed after the request,
every input problem is a 4xx JSON ``{"error": ...}`` and an unexpected failure is a 500 that leaves the
server running. The model is loaded once and shared through :class:`AssessmentBatcher`.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, File, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse

from agir import __version__
from agir.assess.assessment import Assessor
from agir.errors import AgirError
from agir.gait import analyze_motion
from agir.readers import read_motion
from agir.report.html import render_report
from agir.serve.batcher import AssessmentBatcher
from agir.serve.page import INDEX_HTML
from agir.skeleton import Motion

ACCEPTED = (".bvh", ".c3d", ".trc", ".npy", ".npz")


@dataclass
class ServeConfig:
    """``max_upload_mb``: largest upload (MB); ``max_seconds``: longest walk (s); ``max_batch``: walks per
    model call; ``model_dir`` None = the default model; ``no_model``: measurements and reports only."""

    model_dir: str | None = None
    no_model: bool = False
    max_upload_mb: float = 25.0
    max_seconds: float = 600.0
    max_batch: int = 8
    precision: str = "auto"  # LM inference precision (agir.lm.model.resolve_precision)


class UploadError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def create_app(config: ServeConfig = ServeConfig()) -> FastAPI:  # noqa: B008
    batcher = None if config.no_model else AssessmentBatcher(Assessor(config.model_dir, config.precision), config.max_batch)
    model_name = batcher.assessor.lm.version if batcher else None
    app = FastAPI(title="AGIR", version=__version__,
                  description="Gait impairment assessment with reasoning (MDS-UPDRS 3.10). A research tool, not a diagnosis.")  # fmt: skip
    limit = int(config.max_upload_mb * 1024 * 1024)

    @app.exception_handler(UploadError)
    async def _upload_error(_: Request, exc: UploadError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.status)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": f"internal error ({type(exc).__name__}); the request was not processed"}, status_code=500)

    def read_upload(upload: UploadFile) -> Motion:
        name = upload.filename or ""
        suffix = Path(name).suffix.lower()
        if suffix not in ACCEPTED:
            raise UploadError(415, f"'{name}': unsupported file type '{suffix or '(none)'}'; expected one of {' '.join(ACCEPTED)}")
        data = upload.file.read(limit + 1)
        if not data:
            raise UploadError(400, f"'{name}': the upload is empty")
        if len(data) > limit:
            raise UploadError(413, f"'{name}': larger than the {config.max_upload_mb:g} MB upload limit")
        with tempfile.TemporaryDirectory(prefix="agir-upload-") as tmp:
            path = Path(tmp) / f"upload{suffix}"  # never the client's name: nothing is written outside tmp
            path.write_bytes(data)
            try:
                motion = read_motion(path)
            except AgirError as exc:
                raise UploadError(422, f"'{name}': {str(exc).replace(str(path), 'file')}") from None
        if motion.n_frames / motion.fps > config.max_seconds:
            raise UploadError(413, f"'{name}': the walk lasts {motion.n_frames / motion.fps:.0f} s; the limit is {config.max_seconds:g} s")
        motion.source.path = name
        return motion

    def assess(motion: Motion):  # noqa: ANN202
        try:
            analysis = analyze_motion(motion)
            assessment = batcher.assess(motion, analysis) if batcher else None
        except AgirError as exc:
            raise UploadError(422, f"'{motion.source.path}': {exc}") from None
        return analysis, assessment

    @app.get("/", response_class=HTMLResponse, summary="Drop a walk file and see its report")
    def index() -> str:
        return INDEX_HTML

    @app.get("/api/health", summary="Liveness and the model in use")
    def health() -> dict:
        return {"status": "ok", "agir_version": __version__, "model": model_name,
                "max_upload_mb": config.max_upload_mb, "max_seconds": config.max_seconds}  # fmt: skip

    @app.post("/api/assess", summary="Assess an uploaded walk: score, probabilities, rationale, checked claims")
    def api_assess(file: UploadFile = File(...)) -> dict:  # noqa: B008
        motion = read_upload(file)
        analysis, assessment = assess(motion)
        if assessment is None:
            from agir.corpus.measures import flat_parameters

            return {"score": None, "parameters": flat_parameters(analysis.parameters), "model": None}
        return assessment.to_dict()

    @app.post("/api/report", response_class=HTMLResponse, summary="The self-contained HTML report of an uploaded walk")
    def api_report(file: UploadFile = File(...)) -> str:  # noqa: B008
        motion = read_upload(file)
        analysis, assessment = assess(motion)
        return render_report(motion, analysis, assessment)

    return app
