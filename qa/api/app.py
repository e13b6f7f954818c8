"""FastAPI application: lifespan migrates the database; routers come from each area."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from qa.agreement.router import router as agreement_router
from qa.assignments.router import router as assignments_router
from qa.audit.router import router as audit_router
from qa.auth.router import router as auth_router
from qa.calibration.router import router as calibration_router
from qa.coaching.router import router as coaching_router
from qa.config import get_settings
from qa.db import migrate
from qa.errors import Conflict, InputError, NotFound, PermissionDenied
from qa.ingestion.router import router as ingestion_router
from qa.ingestion.upload import UnsupportedUpload, UploadTooLarge
from qa.interactions.router import router as interactions_router
from qa.jobs.router import router as jobs_router
from qa.outcomes.router import router as outcomes_router
from qa.reports.router import router as reports_router
from qa.reviews.router import router as reviews_router

# Room for multipart boundaries, part headers and the metadata field around the file itself.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


class UploadSizeGuard:
    """Answer 413 before an upload's body is read when its declared length is already too big.

    Pure ASGI (no BaseHTTPMiddleware) so other requests pay nothing; bodies without a length are still
    cut off by the upload service.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == "/api/interactions":
            declared = dict(scope["headers"]).get(b"content-length", b"")
            limit = get_settings().max_upload_bytes
            if declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD_BYTES:
                detail = f"upload larger than the limit of {limit} bytes"
                await JSONResponse(status_code=413, content={"detail": detail})(scope, receive, send)
                return
        await self.app(scope, receive, send)


ROUTERS = (
    auth_router,
    interactions_router,
    ingestion_router,
    reviews_router,
    coaching_router,
    reports_router,
    jobs_router,
    audit_router,
    calibration_router,
    agreement_router,
    assignments_router,
    outcomes_router,
)


# Domain errors and the HTTP status each becomes; the body is always {"detail": "<one line>"}.
ERROR_STATUS: dict[type[Exception], int] = {
    NotFound: 404,
    PermissionDenied: 403,
    Conflict: 409,
    InputError: 422,
    UnsupportedUpload: 415,
    UploadTooLarge: 413,
}


def _json_error(status_code: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def handler(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=status_code, content={"detail": str(exc)})

    return handler


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    migrate(get_settings().database_url)
    yield


def create_app() -> FastAPI:
    app = FastAPI(title="Callcoach", version="0.1.0", lifespan=lifespan)

    @app.get("/api/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    for error_type, status_code in ERROR_STATUS.items():
        app.add_exception_handler(error_type, _json_error(status_code))

    app.add_middleware(UploadSizeGuard)
    for router in ROUTERS:
        app.include_router(router)
    return app


app = create_app()
