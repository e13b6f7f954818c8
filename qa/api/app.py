"""FastAPI application: lifespan migrates the database; routers come from each area."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from qa.audit.router import router as audit_router
from qa.auth.router import router as auth_router
from qa.coaching.router import router as coaching_router
from qa.config import get_settings
from qa.db import migrate
from qa.errors import Conflict, InputError, NotFound, PermissionDenied
from qa.interactions.router import router as interactions_router
from qa.interactions.service import UnsupportedUpload, UploadTooLarge
from qa.jobs.router import router as jobs_router
from qa.reports.router import router as reports_router
from qa.reviews.router import router as reviews_router

ROUTERS = (
    auth_router,
    interactions_router,
    reviews_router,
    coaching_router,
    reports_router,
    jobs_router,
    audit_router,
)


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    migrate(get_settings().database_url)
    yield


def create_app() -> FastAPI:
    app = FastAPI(title="Callcoach", version="0.1.0", lifespan=lifespan)

    @app.get("/api/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(exc)})

    @app.exception_handler(PermissionDenied)
    async def _forbidden(_request: Request, exc: PermissionDenied) -> JSONResponse:
        return JSONResponse(status_code=403, content={"detail": str(exc)})

    @app.exception_handler(Conflict)
    async def _conflict(_request: Request, exc: Conflict) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": str(exc)})

    @app.exception_handler(InputError)
    async def _bad_input(_request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    @app.exception_handler(UnsupportedUpload)
    async def _unsupported(_request: Request, exc: UnsupportedUpload) -> JSONResponse:
        return JSONResponse(status_code=415, content={"detail": str(exc)})

    @app.exception_handler(UploadTooLarge)
    async def _too_large(_request: Request, exc: UploadTooLarge) -> JSONResponse:
        return JSONResponse(status_code=413, content={"detail": str(exc)})

    for router in ROUTERS:
        app.include_router(router)
    return app


app = create_app()
