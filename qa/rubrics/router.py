"""Scorecard routes: read, draft, test, preview the impact, publish, history, restore (roles: the service)."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, status

from qa.auth.dependencies import CurrentPrincipal, SessionDep, SettingsDep
from qa.jobs import runner
from qa.models import JobKind
from qa.rubrics import service
from qa.rubrics.schemas import (
    DraftCreate,
    DraftRead,
    DraftUpdate,
    PreviewRead,
    PreviewRequest,
    PreviewStarted,
    Published,
    PublishRequest,
    RescoreRequest,
    RescoreStarted,
    RubricRead,
    RubricSummary,
    TestReportRead,
    VersionRead,
)

router = APIRouter(prefix="/api/rubrics", tags=["rubrics"])


@router.get("", response_model=list[RubricSummary])
def list_rubrics(
    session: SessionDep, settings: SettingsDep, principal: CurrentPrincipal
) -> list[RubricSummary]:
    """The scorecards in use (supervisor, manager, admin)."""
    return service.list_rubrics(session=session, settings=settings, principal=principal)


@router.get("/{rubric_id}", response_model=RubricRead)
def get_rubric(
    rubric_id: str, session: SessionDep, settings: SettingsDep, principal: CurrentPrincipal
) -> RubricRead:
    """One scorecard with its YAML."""
    return service.get_rubric(session=session, settings=settings, principal=principal, rubric_id=rubric_id)


@router.get("/{rubric_id}/drafts", response_model=list[DraftRead])
def list_drafts(rubric_id: str, session: SessionDep, principal: CurrentPrincipal) -> list[DraftRead]:
    """The scorecard's drafts, newest first."""
    drafts = service.list_drafts(session=session, principal=principal, rubric_id=rubric_id)
    return [service.draft_read(d) for d in drafts]


@router.post("/{rubric_id}/drafts", response_model=DraftRead, status_code=status.HTTP_201_CREATED)
def create_draft(
    rubric_id: str, body: DraftCreate, session: SessionDep, settings: SettingsDep, principal: CurrentPrincipal
) -> DraftRead:
    """A draft from YAML (422 with the validation message when invalid), or a copy of the version in use."""
    draft = service.create_draft(
        session=session, settings=settings, principal=principal, rubric_id=rubric_id, text=body.yaml
    )
    return service.draft_read(draft)


@router.get("/{rubric_id}/drafts/{draft_id}", response_model=DraftRead)
def get_draft(rubric_id: str, draft_id: int, session: SessionDep, principal: CurrentPrincipal) -> DraftRead:
    return service.draft_read(
        service.get_draft(session=session, principal=principal, rubric_id=rubric_id, draft_id=draft_id)
    )


@router.put("/{rubric_id}/drafts/{draft_id}", response_model=DraftRead)
def update_draft(
    rubric_id: str,
    draft_id: int,
    body: DraftUpdate,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
) -> DraftRead:
    """Replace the draft's YAML (validated; drops its preview)."""
    draft = service.update_draft(
        session=session,
        settings=settings,
        principal=principal,
        rubric_id=rubric_id,
        draft_id=draft_id,
        text=body.yaml,
    )
    return service.draft_read(draft)


@router.post("/{rubric_id}/drafts/{draft_id}/tests", response_model=TestReportRead)
def run_tests(
    rubric_id: str, draft_id: int, session: SessionDep, settings: SettingsDep, principal: CurrentPrincipal
) -> TestReportRead:
    """Run the draft's own test cases, as `callcoach rubric test` does."""
    return service.run_tests(
        session=session, settings=settings, principal=principal, rubric_id=rubric_id, draft_id=draft_id
    )


@router.post("/{rubric_id}/preview", response_model=PreviewStarted, status_code=status.HTTP_202_ACCEPTED)
def start_preview(
    rubric_id: str,
    body: PreviewRequest,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    background: BackgroundTasks,
) -> PreviewStarted:
    """Rescore the newest interactions with the draft in the background; poll the preview for progress."""
    job = service.start_preview(
        session=session,
        settings=settings,
        principal=principal,
        rubric_id=rubric_id,
        draft_id=body.draft_id,
        limit=body.limit,
    )
    # After the request commits: the job row must be visible to whoever runs it.
    background.add_task(runner.run_in_background, settings, [job.id], [JobKind.RUBRIC_PREVIEW])
    return PreviewStarted(draft_id=body.draft_id, job_id=job.id, status=job.status.value)


@router.get("/{rubric_id}/drafts/{draft_id}/preview", response_model=PreviewRead)
def get_preview(
    rubric_id: str, draft_id: int, session: SessionDep, settings: SettingsDep, principal: CurrentPrincipal
) -> PreviewRead:
    """The preview's progress, and per criterion, team, agent and interaction what would change."""
    return service.preview_of(
        session=session, settings=settings, principal=principal, rubric_id=rubric_id, draft_id=draft_id
    )


@router.post("/{rubric_id}/publish", response_model=Published)
def publish(
    rubric_id: str,
    body: PublishRequest,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
) -> Published:
    """Make the draft the scorecard in use (409 when the published version changed since the draft)."""
    return service.publish(
        session=session,
        settings=settings,
        principal=principal,
        rubric_id=rubric_id,
        draft_id=body.draft_id,
        reason=body.reason,
    )


@router.post("/{rubric_id}/rescore", response_model=RescoreStarted, status_code=status.HTTP_202_ACCEPTED)
def rescore(
    rubric_id: str,
    body: RescoreRequest,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    background: BackgroundTasks,
) -> RescoreStarted:
    """Score again, with the version in use, the interactions since a date, as background jobs."""
    job_ids = service.rescore_since(
        session=session, settings=settings, principal=principal, rubric_id=rubric_id, since=body.since
    )
    background.add_task(runner.run_in_background, settings, job_ids, [JobKind.ANALYZE])
    return RescoreStarted(rubric_id=rubric_id, since=body.since, jobs=len(job_ids))


@router.get("/{rubric_id}/history", response_model=list[VersionRead])
def history(
    rubric_id: str, session: SessionDep, settings: SettingsDep, principal: CurrentPrincipal
) -> list[VersionRead]:
    """Every version, newest first, with its diff against the one before."""
    return service.history(session=session, settings=settings, principal=principal, rubric_id=rubric_id)


@router.get("/{rubric_id}/versions/{version}", response_model=VersionRead)
def get_version(
    rubric_id: str, version: str, session: SessionDep, settings: SettingsDep, principal: CurrentPrincipal
) -> VersionRead:
    """One version with its YAML and diff."""
    return service.version(
        session=session, settings=settings, principal=principal, rubric_id=rubric_id, version=version
    )


@router.post(
    "/{rubric_id}/versions/{version}/restore", response_model=DraftRead, status_code=status.HTTP_201_CREATED
)
def restore(
    rubric_id: str, version: str, session: SessionDep, settings: SettingsDep, principal: CurrentPrincipal
) -> DraftRead:
    """An older version as a new draft."""
    draft = service.restore(
        session=session, settings=settings, principal=principal, rubric_id=rubric_id, version_id=version
    )
    return service.draft_read(draft)
