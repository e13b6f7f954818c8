"""The scorecards page's parts: the criterion form and the YAML beside it, test cases, the impact preview,
publishing, rescoring and the version history. Every action goes through qa.rubrics.service."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
import yaml

from coaching_ui import session
from coaching_ui.components.common import attempt
from coaching_ui.figures import md_literal
from qa.access import Principal
from qa.config import get_settings
from qa.errors import CallcoachError
from qa.models import DraftStatus, JobKind, PreviewStatus
from qa.rubrics import service as rubric_service
from qa.rubrics.schemas import DraftRead, PreviewRead, RubricSummary, VersionRead

DRAFT_KEY = "scorecard_draft"  # rubric id -> the draft being edited
REVISION_KEY = "scorecard_revision"  # bumped when the YAML changes, so the form's widgets start afresh
ERROR_KEY = "scorecard_error"  # (field path, message) of the last refused edit
TESTS_KEY = "scorecard_tests"
NOTICE_KEY = "scorecard_notice"
# The detector types the form edits field by field; the others (and every further setting) as YAML.
MAIN_FIELD = {"phrases": "phrases", "semantic": "examples", "regex": "pattern", "manual": "guidance"}
DETECTOR_TYPES = ["phrases", "regex", "semantic", "sequence", "metric", "manual", "sentiment", "prohibited"]
DETECTOR_TYPES += ["any_of", "all_of"]


class FormError(CallcoachError):
    """A form field that does not parse; `field` is its rubric path, as validation names fields."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        super().__init__(f"{field}: {problem}")


# ---------------------------------------------------------------- reading


def scorecards(principal: Principal) -> list[RubricSummary]:
    with session.db() as db:
        return rubric_service.list_rubrics(session=db, settings=get_settings(), principal=principal)


def published_yaml(principal: Principal, rubric_id: str) -> str:
    with session.db() as db:
        return rubric_service.get_rubric(
            session=db, settings=get_settings(), principal=principal, rubric_id=rubric_id
        ).yaml


def open_draft(principal: Principal, rubric_id: str) -> DraftRead | None:
    """The draft picked on this page, else the newest unpublished one."""
    with session.db() as db:
        drafts = rubric_service.list_drafts(session=db, principal=principal, rubric_id=rubric_id)
        reads = [rubric_service.draft_read(d) for d in drafts]
    chosen = st.session_state.get(DRAFT_KEY, {}).get(rubric_id)
    for draft in reads:
        if draft.id == chosen:
            return draft
    return next((d for d in reads if d.status == DraftStatus.DRAFT), None)


def history(principal: Principal, rubric_id: str) -> list[VersionRead]:
    with session.db() as db:
        return rubric_service.history(
            session=db, settings=get_settings(), principal=principal, rubric_id=rubric_id
        )


def preview(principal: Principal, rubric_id: str, draft_id: int) -> PreviewRead:
    with session.db() as db:
        return rubric_service.preview_of(
            session=db, settings=get_settings(), principal=principal, rubric_id=rubric_id, draft_id=draft_id
        )


def _remember_draft(rubric_id: str, draft: DraftRead | None) -> None:
    if draft is None:
        return
    st.session_state.setdefault(DRAFT_KEY, {})[rubric_id] = draft.id
    st.session_state[REVISION_KEY] = st.session_state.get(REVISION_KEY, 0) + 1
    st.session_state.pop(ERROR_KEY, None)
    st.session_state.pop(TESTS_KEY, None)


def _draft_action(action: Any, /, **arguments: Any) -> DraftRead | None:
    """A service call that returns a draft row, as a DraftRead (read inside its unit of work)."""
    try:
        with session.db() as db:
            return rubric_service.draft_read(action(session=db, settings=get_settings(), **arguments))
    except rubric_service.RubricDraftInvalid as exc:
        st.session_state[ERROR_KEY] = (exc.field, str(exc))
    except CallcoachError as exc:
        st.session_state[ERROR_KEY] = ("", str(exc))
    return None


# ---------------------------------------------------------------- drafts


def start_draft(principal: Principal, rubric_id: str) -> None:
    """A new draft: a copy of the version in use."""
    _remember_draft(
        rubric_id,
        _draft_action(rubric_service.create_draft, principal=principal, rubric_id=rubric_id, text=None),
    )


def _save(principal: Principal, draft: DraftRead, text: str) -> bool:
    saved = _draft_action(
        rubric_service.update_draft,
        principal=principal,
        rubric_id=draft.rubric_id,
        draft_id=draft.id,
        text=text,
    )
    if saved is not None:
        _remember_draft(draft.rubric_id, saved)
    return saved is not None


def yaml_key(draft: DraftRead) -> str:
    """The YAML side's widget: a new one whenever the draft changed, so it shows the saved text."""
    return f"sc-yaml-{draft.id}-{st.session_state.get(REVISION_KEY, 0)}"


def save_yaml(principal: Principal, draft: DraftRead) -> None:
    """The YAML side was edited: validate and keep it; the form shows it on the next run."""
    _save(principal, draft, st.session_state.get(yaml_key(draft), draft.yaml))


def field_error(field: str) -> None:
    """Show the last refused edit's message under the widget of this rubric field (path prefix)."""
    refused = st.session_state.get(ERROR_KEY)
    if refused is not None and field and refused[0].startswith(field):
        st.error(md_literal(refused[1]), icon=":material/error:")


def general_error(known_fields: Sequence[str]) -> None:
    """The last refused edit, unless a form field shows it already."""
    refused = st.session_state.get(ERROR_KEY)
    if refused is not None and not any(f and refused[0].startswith(f) for f in known_fields):
        st.error(md_literal(refused[1]), icon=":material/error:")


# ---------------------------------------------------------------- the criterion form


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _yaml_field(text: str, field: str) -> Any:
    try:
        return yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError as exc:
        raise FormError(field, f"YAML syntax error: {getattr(exc, 'problem', None) or exc}") from None


def criterion_path(section_id: str, criterion_id: str) -> str:
    return f"sections[{section_id}].criteria[{criterion_id}]"


def form_key(draft: DraftRead, criterion_id: str, name: str) -> str:
    return f"sc-{draft.id}-{st.session_state.get(REVISION_KEY, 0)}-{criterion_id}-{name}"


def _yaml_area(label: str, value: Any, key: str) -> None:
    shown = yaml.safe_dump(value, sort_keys=False, allow_unicode=True) if value else ""
    st.text_area(label, shown, key=key, height=90)


def section_form(draft: DraftRead, section: dict[str, Any]) -> None:
    """The section's name and weight (its share of the total)."""
    key = f"section-{section['id']}"
    name, weight = st.columns([3, 1])
    name.text_input("Section name", str(section.get("name", "")), key=form_key(draft, key, "name"))
    weight.number_input("Weight", value=float(section.get("weight", 0)), key=form_key(draft, key, "weight"))
    field_error(f"sections[{section['id']}].name")
    field_error(f"sections[{section['id']}].weight")


def _number(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def criterion_form(
    draft: DraftRead, data: dict[str, Any], section: dict[str, Any], criterion: dict[str, Any]
) -> None:
    """The criterion's question, points, critical flag, N/A rule and detector, each with its own error."""
    path = criterion_path(section["id"], criterion["id"])
    cid = criterion["id"]
    st.text_input("Question", criterion.get("question", ""), key=form_key(draft, cid, "question"))
    field_error(f"{path}.question")
    points, critical = st.columns(2)
    points.number_input("Points", value=float(criterion.get("points", 0)), key=form_key(draft, cid, "points"))
    critical.checkbox(
        "Critical (failing it fails the interaction)",
        bool(criterion.get("critical")),
        key=form_key(draft, cid, "critical"),
    )
    field_error(f"{path}.points")
    field_error(f"{path}.critical")
    applies = criterion.get("applies_if")
    _yaml_area(
        "N/A rule: applies if (YAML; empty: always applies)", applies, form_key(draft, cid, "applies_if")
    )
    field_error(f"{path}.applies_if")
    detector = dict(criterion.get("detector") or {})
    kind = str(detector.pop("type", "phrases"))
    types = DETECTOR_TYPES if kind in DETECTOR_TYPES else [*DETECTOR_TYPES, kind]
    st.selectbox("Detector", types, index=types.index(kind), key=form_key(draft, cid, "type"))
    main = MAIN_FIELD.get(kind)
    if main is not None:
        value = detector.pop(main, [] if main in ("phrases", "examples") else "")
        label = {"phrases": "Phrases (one a line)", "examples": "Examples (one a line)"}.get(
            main, main.capitalize()
        )
        shown = "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
        st.text_area(label, shown, key=form_key(draft, cid, "main"), height=120)
    _yaml_area(
        "Other detector settings (YAML: speaker, window, threshold, steps, checks...)",
        detector,
        form_key(draft, cid, "detector"),
    )
    field_error(f"{path}.detector")


def apply_form(principal: Principal, draft: DraftRead, section_id: str, criterion_id: str) -> None:
    """Write the form's values (the section's and the criterion's) into the draft's YAML (validated;
    refused values stay in the form)."""
    st.session_state.pop(ERROR_KEY, None)
    data = yaml.safe_load(draft.yaml)
    path = criterion_path(section_id, criterion_id)
    state = st.session_state
    try:
        section = next(s for s in data["sections"] if s.get("id") == section_id)
        section["name"] = state[form_key(draft, f"section-{section_id}", "name")]
        section["weight"] = _number(state[form_key(draft, f"section-{section_id}", "weight")])
        criterion = next(c for c in section["criteria"] if c.get("id") == criterion_id)
        criterion["question"] = state[form_key(draft, criterion_id, "question")]
        criterion["points"] = _number(state[form_key(draft, criterion_id, "points")])
        criterion["critical"] = bool(state[form_key(draft, criterion_id, "critical")])
        applies = _yaml_field(state[form_key(draft, criterion_id, "applies_if")], f"{path}.applies_if")
        if applies is None:
            criterion.pop("applies_if", None)
        else:
            criterion["applies_if"] = applies
        kind = state[form_key(draft, criterion_id, "type")]
        others = _yaml_field(state[form_key(draft, criterion_id, "detector")], f"{path}.detector") or {}
        if not isinstance(others, dict):
            raise FormError(f"{path}.detector", "the other settings must be a mapping (name: value)")
        detector: dict[str, Any] = {"type": kind}
        main = MAIN_FIELD.get(kind)
        main_key = form_key(draft, criterion_id, "main")
        if main is not None and main_key in state:
            text = state[main_key]
            detector[main] = _lines(text) if main in ("phrases", "examples") else text.strip()
        detector.update({k: v for k, v in others.items() if k != "type"})
        criterion["detector"] = detector
    except FormError as exc:
        st.session_state[ERROR_KEY] = (exc.field, str(exc))
        return
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)
    _save(principal, draft, text)


# ---------------------------------------------------------------- test cases


def run_tests(principal: Principal, draft: DraftRead) -> None:
    report = attempt(
        rubric_service.run_tests,
        settings=get_settings(),
        principal=principal,
        rubric_id=draft.rubric_id,
        draft_id=draft.id,
    )
    if report is not None:
        st.session_state[TESTS_KEY] = (draft.id, report)


def show_tests(draft: DraftRead) -> None:
    """The last run's result for this draft: pass or fail per check of each case."""
    found = st.session_state.get(TESTS_KEY)
    if found is None or found[0] != draft.id:
        return
    report = found[1]
    if not report.checks:
        st.info("This scorecard has no test cases (add them under `tests:` in the YAML).")
        return
    summary = f"{report.passed} passed, {report.failed} failed"
    (st.success if report.ok else st.error)(f"Test cases: {summary}")
    frame = pd.DataFrame(
        [
            {
                "": "pass" if c.ok else "FAIL",
                "case": c.case,
                "criterion": c.criterion,
                "expected": c.expected,
                "actual": c.actual,
                "evidence": c.evidence,
            }
            for c in report.checks
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


# ---------------------------------------------------------------- impact preview


def start_preview(principal: Principal, draft: DraftRead, limit: int) -> None:
    """Queue the preview job and run it in the background (or hand it to the workers)."""
    from qa.jobs import runner  # loads the job machinery only when asked

    settings = get_settings()
    job = attempt(
        rubric_service.start_preview,
        settings=settings,
        principal=principal,
        rubric_id=draft.rubric_id,
        draft_id=draft.id,
        limit=limit,
    )
    if job is not None:  # the unit of work committed: the job row is there for whoever runs it
        threading.Thread(
            target=runner.run_in_background,
            args=(settings, [job.id], [JobKind.RUBRIC_PREVIEW]),
            name=f"callcoach-preview-{draft.id}",
            daemon=True,
        ).start()


def running(state: PreviewRead) -> bool:
    return state.status in (PreviewStatus.QUEUED, PreviewStatus.RUNNING)


def progress(state: PreviewRead) -> None:
    share = state.done / state.total if state.total else 0.0
    st.progress(share, text=f"Rescoring {state.done} of {state.total} interactions ({state.status})")


def criteria_frame(result: dict[str, Any]) -> pd.DataFrame:
    columns = ["id", "pass_to_fail", "fail_to_pass", "to_na", "other", "changed"]
    frame = pd.DataFrame(result["criteria"], columns=columns)
    return frame.rename(
        columns={
            "id": "criterion",
            "pass_to_fail": "pass → fail",
            "fail_to_pass": "fail → pass",
            "to_na": "→ n/a",
        }
    )


def means_frame(groups: Sequence[dict[str, Any]], label: str) -> pd.DataFrame:
    rows = [
        {
            label: g["name"] or "(none)",
            "interactions": g["n"],
            "mean now": g["before"],
            "mean with draft": g["after"],
            "change": None
            if g["before"] is None or g["after"] is None
            else round(g["after"] - g["before"], 1),
        }
        for g in groups
    ]
    return pd.DataFrame(rows, columns=[label, "interactions", "mean now", "mean with draft", "change"])


def changed_label(item: dict[str, Any]) -> str:
    agent = item["agent"] or "no agent"
    return f"#{item['interaction_id']} · {agent} · {item['before_total']} → {item['after_total']}"


def evidence_text(evidence: Sequence[dict[str, Any]]) -> str:
    return "\n".join(f"• {e.get('text', '')}" for e in evidence) or "(no evidence)"


def side_by_side(item: dict[str, Any]) -> None:
    """Each changed criterion of one interaction: the published version's answer and evidence, the draft's."""
    for criterion in item["criteria"]:
        st.markdown(f"**{criterion['id']}**")  # criterion ids are [a-z0-9_] (the rubric schema)
        now, draft = st.columns(2)
        now.caption(f"Now: {criterion['before'] or 'not in this version'}")
        now.text(evidence_text(criterion["before_evidence"]))  # st.text: user text shown as is
        draft.caption(f"With the draft: {criterion['after'] or 'not in the draft'}")
        draft.text(evidence_text(criterion["after_evidence"]))


# ---------------------------------------------------------------- publishing and history


def publish(principal: Principal, draft: DraftRead, reason_key: str) -> None:
    published = attempt(
        rubric_service.publish,
        settings=get_settings(),
        principal=principal,
        rubric_id=draft.rubric_id,
        draft_id=draft.id,
        reason=st.session_state.get(reason_key, ""),
    )
    if published is not None:
        st.session_state[NOTICE_KEY] = (
            f"Published version {published.version} (was {published.previous_version})."
        )
        st.session_state.get(DRAFT_KEY, {}).pop(draft.rubric_id, None)


def rescore(principal: Principal, rubric_id: str, since: date | None) -> None:
    """Queue the rescoring of the interactions since `since` with the version in use, in the background."""
    from qa.jobs import runner

    settings = get_settings()
    job_ids = attempt(
        rubric_service.rescore_since, settings=settings, principal=principal, rubric_id=rubric_id, since=since
    )
    if job_ids is not None:
        threading.Thread(
            target=runner.run_in_background, args=(settings, job_ids, [JobKind.ANALYZE]), daemon=True
        ).start()
        st.session_state[NOTICE_KEY] = f"Rescoring {len(job_ids)} interactions in the background (see Jobs)."


def restore(principal: Principal, rubric_id: str, version: str) -> None:
    _remember_draft(
        rubric_id,
        _draft_action(rubric_service.restore, principal=principal, rubric_id=rubric_id, version_id=version),
    )


def show_notice() -> None:
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.success(md_literal(notice))


def versions_frame(versions: Sequence[VersionRead]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "version": v.version,
                "in use": v.current,
                "published by": v.published_by,
                "why": v.reason,
                "first stored": v.created_at,
            }
            for v in versions
        ],
        columns=["version", "in use", "published by", "why", "first stored"],
    )
