"""FastAPI application: lifespan migrates the database; routers come from each area."""

from __future__ import annotations

import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from qa.agreement.router import router as agreement_router
from qa.api.docs import add_offline_docs
from qa.assignments.router import router as assignments_router
from qa.audit.router import router as audit_router
from qa.auth.router import router as auth_router
from qa.calibration.router import router as calibration_router
from qa.coaching.router import router as coaching_router
from qa.config import get_settings
from qa.db import migrate
from qa.disputes.router import router as disputes_router
from qa.errors import Conflict, InputError, NotFound, PermissionDenied
from qa.ingestion.router import router as ingestion_router
from qa.ingestion.upload import UnsupportedUpload, UploadTooLarge
from qa.interactions.router import router as interactions_router
from qa.jobs.router import router as jobs_router
from qa.notifications.router import router as notifications_router
from qa.outcomes.router import router as outcomes_router
from qa.reports.router import router as reports_router
from qa.reviews.router import router as reviews_router
from qa.rubrics.router import router as rubrics_router
from qa.users.router import router as users_router

ROUTERS = (
    auth_router,
    interactions_router,
    ingestion_router,
    reviews_router,
    coaching_router,
    reports_router,
    jobs_router,
    audit_router,
    disputes_router,
    notifications_router,
    calibration_router,
    agreement_router,
    assignments_router,
    outcomes_router,
    users_router,
    rubrics_router,
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


# Input Python or the database cannot hold, wherever in a request it surfaces: a fixed message, never the
# exception's text (it can carry SQL, values or server paths).
INPUT_LIMIT_ERRORS: dict[type[Exception], str] = {
    RecursionError: "the input is nested too deeply",
    UnicodeEncodeError: "the input holds an invalid character (a lone surrogate)",
    OverflowError: "a number in the request is out of range",
    DataError: "a value in the request is out of range or too long for the database",
}
log = logging.getLogger("qa.api")


def _json_error(status_code: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def handler(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=status_code, content={"detail": str(exc)})

    return handler


def _input_limit_error(message: str) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def handler(request: Request, exc: Exception) -> JSONResponse:
        log.info("%s %s refused: %s", request.method, request.url.path, type(exc).__name__)
        return JSONResponse(status_code=422, content={"detail": message})

    return handler


def _json_safe(value: Any) -> Any:
    # A refused Infinity or NaN is echoed back in the error's "input": as text, since JSON has no such number.
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    return JSONResponse(status_code=422, content={"detail": _json_safe(jsonable_encoder(errors))})


async def _server_error(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the server log only; the caller gets one line without paths or SQL.
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return JSONResponse(status_code=500, content={"detail": "internal error; the server log has the details"})


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    migrate(get_settings().database_url)
    yield


def create_app() -> FastAPI:
    # /docs and /redoc come from qa.api.docs, without a CDN: the product runs offline.
    app = FastAPI(title="Callcoach", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    add_offline_docs(app)

    @app.get("/api/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    for error_type, status_code in ERROR_STATUS.items():
        app.add_exception_handler(error_type, _json_error(status_code))
    for error_type, message in INPUT_LIMIT_ERRORS.items():
        app.add_exception_handler(error_type, _input_limit_error(message))
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)

    for router in ROUTERS:
        app.include_router(router)
    return app


app = create_app()
