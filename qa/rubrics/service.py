"""Scorecards edited in the coaching view: drafts, their test cases and impact preview, publishing, history.

Readers (qa.access.SCORECARD_READERS) see scorecards, drafts and history; editors
(qa.access.scorecard_editors) draft, preview, publish and restore. Validation is
scoring.rubric.parse_rubric's, the same as `callcoach rubric validate`.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.audit.service import audited
from qa.config import Settings
from qa.errors import Conflict, InputError, NotFound
from qa.evaluations import service as evaluation_service
from qa.jobs import ml_models, rescoring
from qa.jobs import repository as job_repository
from qa.models import DraftStatus, Job, JobKind, JobStatus, PreviewStatus, RubricDraft
from qa.models.base import utcnow
from qa.rubrics import repository
from qa.rubrics.schemas import (
    CaseCheckRead,
    DraftRead,
    PreviewRead,
    Published,
    RubricRead,
    RubricSummary,
    TestReportRead,
    VersionRead,
)
from scoring import rubric as rubric_lib


class RubricDraftInvalid(InputError):
    """A draft that `callcoach rubric validate` would refuse; `field` is the path the problem is at."""

    def __init__(self, exc: rubric_lib.RubricInvalid) -> None:
        self.field = exc.field
        self.more = exc.more
        super().__init__(exc.source, str(exc).removeprefix(f"{exc.source}: "))


# ---------------------------------------------------------------- roles


def can_edit(principal: Principal, settings: Settings) -> bool:
    """Whether the principal may draft, preview, publish and restore scorecards."""
    editors = access.scorecard_editors(supervisors_may_edit=settings.supervisors_edit_scorecards)
    return access.has_role(principal, editors)


def _require_reader(principal: Principal) -> None:
    access.require_role(principal, access.SCORECARD_READERS, "reading scorecards")


def _require_editor(principal: Principal, settings: Settings, action: str) -> None:
    editors = access.scorecard_editors(supervisors_may_edit=settings.supervisors_edit_scorecards)
    access.require_role(principal, editors, action)


# ---------------------------------------------------------------- validation


def validate(text: str, rubric_id: str) -> rubric_lib.Rubric:
    """The rubric the YAML describes; RubricDraftInvalid with the CLI's message, naming the field."""
    try:
        rubric = rubric_lib.parse_rubric(text, source=f"{rubric_id} (draft)")
    except rubric_lib.RubricInvalid as exc:
        raise RubricDraftInvalid(exc) from None
    if rubric.id != rubric_id:
        raise RubricDraftInvalid(
            rubric_lib.RubricInvalid(
                f"{rubric_id} (draft)", "id", f"is '{rubric.id}'; a draft of {rubric_id} keeps its id"
            )
        )
    return rubric


# ---------------------------------------------------------------- published scorecards


def _published(settings: Settings, rubric_id: str) -> tuple[rubric_lib.Rubric, str]:
    try:
        return ml_models.rubric_named(settings, rubric_id)
    except ml_models.RubricNotConfigured:
        raise NotFound(f"rubric {rubric_id} not found") from None


def _summary(
    session: Session, settings: Settings, principal: Principal, rubric: rubric_lib.Rubric
) -> dict[str, Any]:
    drafts = repository.list_drafts(session, rubric.id)
    return {
        "id": rubric.id,
        "name": rubric.name,
        "version": rubric.version,
        "channels": list(rubric.spec.channels),
        "file": Path(rubric.source).name,
        "criteria": len(rubric.spec.criteria()),
        "drafts": sum(1 for d in drafts if d.status == DraftStatus.DRAFT),
        "can_edit": can_edit(principal, settings),
    }


def list_rubrics(*, session: Session, settings: Settings, principal: Principal) -> list[RubricSummary]:
    """The scorecards in the configured rubrics folder."""
    _require_reader(principal)
    return [
        RubricSummary(**_summary(session, settings, principal, rubric))
        for rubric, _text in ml_models.rubrics(settings).values()
    ]


def get_rubric(*, session: Session, settings: Settings, principal: Principal, rubric_id: str) -> RubricRead:
    """One published scorecard with its YAML."""
    _require_reader(principal)
    rubric, text = _published(settings, rubric_id)
    return RubricRead(**_summary(session, settings, principal, rubric), yaml=text)


# ---------------------------------------------------------------- drafts


def draft_read(draft: RubricDraft) -> DraftRead:
    try:
        version = rubric_lib.rubric_version(_yaml_mapping(draft.content))
    except (ValueError, yaml.YAMLError):
        version = ""
    return DraftRead.model_validate(draft).model_copy(update={"version": version})


def _yaml_mapping(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("not a mapping")
    return data


def _draft(session: Session, rubric_id: str, draft_id: int) -> RubricDraft:
    draft = repository.get_draft(session, rubric_id, draft_id)
    if draft is None:
        raise NotFound(f"draft {draft_id} of rubric {rubric_id} not found")
    return draft


def _open_draft(session: Session, rubric_id: str, draft_id: int) -> RubricDraft:
    draft = _draft(session, rubric_id, draft_id)
    if draft.status != DraftStatus.DRAFT:
        raise Conflict(
            f"draft {draft_id} was published as version {draft.published_version}; start a new one"
        )
    return draft


def _draft_snapshot(session: Session, draft_id: int | None) -> dict[str, Any] | None:
    draft = repository.draft_by_id(session, draft_id) if draft_id is not None else None
    if draft is None:
        return None
    return {
        "rubric_id": draft.rubric_id,
        "status": draft.status,
        "base_version": draft.base_version,
        "published_version": draft.published_version,
        "reason": draft.publish_reason,
        "yaml_chars": len(draft.content),
    }


def create_draft(
    *, session: Session, settings: Settings, principal: Principal, rubric_id: str, text: str | None
) -> RubricDraft:
    """A new draft: the given YAML (validated), or a copy of the published version."""
    _require_editor(principal, settings, "drafting scorecards")
    published, published_text = _published(settings, rubric_id)
    content = published_text if text is None else text
    validate(content, rubric_id)
    draft = RubricDraft(
        rubric_id=rubric_id, content=content, base_version=published.version, created_by=principal.username
    )
    return repository.add(session, draft)


def update_draft(
    *, session: Session, settings: Settings, principal: Principal, rubric_id: str, draft_id: int, text: str
) -> RubricDraft:
    """Replace a draft's YAML (validated); its preview no longer applies and is dropped."""
    _require_editor(principal, settings, "editing scorecards")
    draft = _open_draft(session, rubric_id, draft_id)
    validate(text, rubric_id)
    if text != draft.content:
        draft.content = text
        draft.preview = None
        draft.preview_status = PreviewStatus.NONE.value
        draft.preview_done = 0
    session.flush()
    return draft


def list_drafts(*, session: Session, principal: Principal, rubric_id: str) -> list[RubricDraft]:
    """The rubric's drafts, newest first (published ones too)."""
    _require_reader(principal)
    return repository.list_drafts(session, rubric_id)


def get_draft(*, session: Session, principal: Principal, rubric_id: str, draft_id: int) -> RubricDraft:
    _require_reader(principal)
    return _draft(session, rubric_id, draft_id)


def run_tests(
    *, session: Session, settings: Settings, principal: Principal, rubric_id: str, draft_id: int
) -> TestReportRead:
    """The draft's own test cases, as `callcoach rubric test` runs them (the pipeline's encoder)."""
    _require_reader(principal)
    rubric = validate(_draft(session, rubric_id, draft_id).content, rubric_id)
    report = rubric_lib.run_rubric_tests(rubric, encoder=ml_models.rubric_encoder(settings, rubric))
    checks = [
        CaseCheckRead(
            case=c.case,
            criterion=c.criterion,
            expected=c.expected,
            actual=c.actual,
            confidence=c.confidence,
            evidence=c.evidence,
            ok=c.ok,
        )
        for c in report.checks
    ]
    failed = len(report.failures)
    return TestReportRead(
        rubric=report.rubric,
        version=report.version,
        ok=report.ok,
        passed=len(checks) - failed,
        failed=failed,
        checks=checks,
    )


# ---------------------------------------------------------------- impact preview


def start_preview(
    *,
    session: Session,
    settings: Settings,
    principal: Principal,
    rubric_id: str,
    draft_id: int,
    limit: int | None,
) -> Job:
    """Queue a preview job over the newest `limit` interactions (one at a time per draft: a preview
    already queued or running is returned). The caller starts it once the transaction committed."""
    _require_editor(principal, settings, "previewing scorecards")
    draft = _open_draft(session, rubric_id, draft_id)
    validate(draft.content, rubric_id)
    running = job_repository.latest_for_draft(session, draft.id)
    if running is not None and running.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        return running
    wanted = settings.rubric_preview_default if limit is None else limit
    draft.preview_total = max(1, min(wanted, settings.rubric_preview_max))
    draft.preview_done = 0
    draft.preview = None
    draft.preview_error = None
    draft.preview_status = PreviewStatus.QUEUED.value
    return job_repository.add(session, Job(kind=JobKind.RUBRIC_PREVIEW, rubric_draft_id=draft.id))


def _in_scope(principal: Principal, item: dict[str, Any]) -> bool:
    return access.can_see_agent(principal, agent_id=item.get("agent_id"), agent_team_id=item.get("team_id"))


def _scoped(principal: Principal, result: dict[str, Any]) -> dict[str, Any]:
    """The preview as the principal may see it: agents, teams and interactions outside the scope left out
    (criterion counts stay whole: they name no one)."""
    if principal.sees_everything:
        return result
    teams = [t for t in result["teams"] if t["id"] is not None and t["id"] == principal.team_id]
    return {
        **result,
        "teams": teams,
        "agents": [a for a in result["agents"] if _in_scope(principal, {"agent_id": a["id"], **a})],
        "changed": [c for c in result["changed"] if _in_scope(principal, c)],
    }


def preview_of(
    *, session: Session, settings: Settings, principal: Principal, rubric_id: str, draft_id: int
) -> PreviewRead:
    """How far the draft's preview got, and its result once done."""
    _require_editor(principal, settings, "previewing scorecards")
    draft = _draft(session, rubric_id, draft_id)
    status, error = draft.preview_status, draft.preview_error
    job = job_repository.latest_for_draft(session, draft.id)
    unfinished = status in (PreviewStatus.QUEUED, PreviewStatus.RUNNING)
    if unfinished and job is not None and job.status == JobStatus.FAILED:
        status, error = PreviewStatus.FAILED.value, job.error
    return PreviewRead(
        draft_id=draft.id,
        status=status,
        done=draft.preview_done,
        total=draft.preview_total,
        error=error,
        result=_scoped(principal, draft.preview) if draft.preview is not None else None,
    )


# ---------------------------------------------------------------- publishing and history


def _write_atomically(path: Path, text: str) -> None:
    """The file is replaced whole: a scoring job reading it meanwhile sees the old or the new version."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def publish(
    *, session: Session, settings: Settings, principal: Principal, rubric_id: str, draft_id: int, reason: str
) -> Published:
    """Make the draft the scorecard in use: a new rubric version, its YAML written over the rubric's file
    in the rubrics folder (so rubric-as-code in git keeps working), who and why in the audit log.

    Refused (Conflict) when the published version changed since the draft was made. The file is written
    last: a refused or failed publish leaves it as it was."""
    _require_editor(principal, settings, "publishing scorecards")
    draft = _open_draft(session, rubric_id, draft_id)
    rubric = validate(draft.content, rubric_id)
    current, current_text = _published(settings, rubric_id)
    if draft.base_version is not None and draft.base_version != current.version:
        raise Conflict(
            f"rubric {rubric_id} changed to version {current.version} since draft {draft_id} was made "
            f"from {draft.base_version}; start a new draft"
        )
    with audited(
        session=session,
        principal=principal,
        action="publish rubric",
        entity="rubric_draft",
        entity_id=draft.id,
        snapshot=lambda: _draft_snapshot(session, draft.id),
    ):
        # The version in use goes into the history first, so the new one has something to be diffed with.
        evaluation_service.rubric_version_row(session=session, rubric=current, content=current_text)
        evaluation_service.rubric_version_row(session=session, rubric=rubric, content=draft.content)
        draft.status = DraftStatus.PUBLISHED.value
        draft.published_version = rubric.version
        draft.published_by = principal.username
        draft.published_at = utcnow()
        draft.publish_reason = reason.strip()
    path = Path(current.source)
    _write_atomically(path, draft.content)
    return Published(
        rubric_id=rubric_id,
        version=rubric.version,
        previous_version=current.version,
        file=path.name,
        published_by=principal.username,
    )


def rescore_since(
    *, session: Session, settings: Settings, principal: Principal, rubric_id: str, since: date | None
) -> list[int]:
    """Queue the rescoring of the rubric's interactions since `since` (all when None) with the version on
    disk; the caller starts the jobs once the transaction committed. Returns the job ids."""
    _require_editor(principal, settings, "rescoring with a scorecard")
    current, current_text = _published(settings, rubric_id)
    version = evaluation_service.rubric_version_row(session=session, rubric=current, content=current_text)
    with audited(
        session=session,
        principal=principal,
        action="rescore with rubric",
        entity="rubric_version",
        entity_id=version.id,
        snapshot=lambda: {"rubric_id": rubric_id, "version": current.version, "since": str(since)},
    ):
        return rescoring.queue_rescore(session=session, settings=settings, rubric_id=rubric_id, since=since)


def unified_diff(before: str, after: str, *, old_name: str, new_name: str) -> str:
    """The YAML change as a unified diff."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), old_name, new_name
    )
    return "".join(lines)


def history(
    *, session: Session, settings: Settings, principal: Principal, rubric_id: str
) -> list[VersionRead]:
    """Every stored version, newest first, each with its diff against the one before, and who published it
    and why (versions first used by the pipeline have no publisher)."""
    _require_reader(principal)
    current, current_text = _published(settings, rubric_id)
    published = repository.publications(session, rubric_id)
    entries: list[tuple[str, str, Any, str]] = [
        (row.version, row.name, row.created_at, row.content)
        for row in repository.versions(session, rubric_id)
    ]
    if current.version not in {e[0] for e in entries}:
        entries.append((current.version, current.name, None, current_text))
    out = []
    previous: tuple[str, str] | None = None
    for version, name, created_at, content in entries:
        draft = published.get(version)
        out.append(
            VersionRead(
                version=version,
                name=name,
                created_at=created_at,
                current=version == current.version,
                published_by=draft.published_by if draft else None,
                published_at=draft.published_at if draft else None,
                reason=draft.publish_reason if draft else None,
                yaml=content,
                diff=unified_diff(previous[1], content, old_name=previous[0], new_name=version)
                if previous
                else "",
            )
        )
        previous = (version, content)
    return out[::-1]


def version(
    *, session: Session, settings: Settings, principal: Principal, rubric_id: str, version: str
) -> VersionRead:
    """One version with its diff against the one before."""
    for entry in history(session=session, settings=settings, principal=principal, rubric_id=rubric_id):
        if entry.version == version:
            return entry
    raise NotFound(f"version {version} of rubric {rubric_id} not found")


def restore(
    *, session: Session, settings: Settings, principal: Principal, rubric_id: str, version_id: str
) -> RubricDraft:
    """An older version as a new draft (publishing it makes it current again)."""
    _require_editor(principal, settings, "restoring scorecard versions")
    old = version(
        session=session, settings=settings, principal=principal, rubric_id=rubric_id, version=version_id
    )
    return create_draft(
        session=session, settings=settings, principal=principal, rubric_id=rubric_id, text=old.yaml
    )
