"""Calibration routes: open a session, answer blind, close it, give expert answers, compare, grade graders."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, status

from qa.auth.dependencies import CurrentPrincipal, SessionDep
from qa.calibration import service
from qa.calibration.schemas import (
    AnswersSubmit,
    CalibrationCreate,
    CalibrationRead,
    CalibrationSummary,
    GraderWeek,
)

router = APIRouter(prefix="/api/calibrations", tags=["calibration"])


@router.post("", response_model=CalibrationRead, status_code=status.HTTP_201_CREATED)
def create_calibration(
    body: CalibrationCreate, session: SessionDep, principal: CurrentPrincipal
) -> CalibrationRead:
    """Open a session on interactions and invite reviewers (supervisor, manager, admin)."""
    return service.create(
        session=session,
        principal=principal,
        interaction_ids=body.interaction_ids,
        reviewers=body.reviewers,
        title=body.title,
    )


@router.get("", response_model=list[CalibrationSummary])
def list_calibrations(session: SessionDep, principal: CurrentPrincipal) -> list[CalibrationSummary]:
    """Sessions the caller organised or was invited to; managers and admins see all."""
    return service.list_sessions(session=session, principal=principal)


@router.get("/graders", response_model=list[GraderWeek])
def grade_the_graders(
    session: SessionDep, principal: CurrentPrincipal, since: date | None = None
) -> list[GraderWeek]:
    """Each reviewer's (and the machine's) deviation from the expert answers, week by week."""
    return service.grader_report(session=session, principal=principal, since=since)


@router.get("/{calibration_id}", response_model=CalibrationRead)
def get_calibration(calibration_id: int, session: SessionDep, principal: CurrentPrincipal) -> CalibrationRead:
    """While open: the questions and the caller's own answers; after closing: everyone's side by side."""
    return service.get(session=session, principal=principal, calibration_id=calibration_id)


@router.post("/{calibration_id}/answers", response_model=CalibrationRead)
def submit_answers(
    calibration_id: int, body: AnswersSubmit, session: SessionDep, principal: CurrentPrincipal
) -> CalibrationRead:
    """An invited reviewer's answers to one interaction (once)."""
    return service.submit_answers(
        session=session,
        principal=principal,
        calibration_id=calibration_id,
        interaction_id=body.interaction_id,
        answers=dict(body.answers),
    )


@router.post("/{calibration_id}/close", response_model=CalibrationRead)
def close_calibration(
    calibration_id: int, session: SessionDep, principal: CurrentPrincipal
) -> CalibrationRead:
    """Close the session before everyone answered (organizer, manager, admin)."""
    return service.close(session=session, principal=principal, calibration_id=calibration_id)


@router.post("/{calibration_id}/expert", response_model=CalibrationRead)
def set_expert_answers(
    calibration_id: int, body: AnswersSubmit, session: SessionDep, principal: CurrentPrincipal
) -> CalibrationRead:
    """The organizer's final answers for one interaction, after closing."""
    return service.set_expert_answers(
        session=session,
        principal=principal,
        calibration_id=calibration_id,
        interaction_id=body.interaction_id,
        answers=dict(body.answers),
    )
