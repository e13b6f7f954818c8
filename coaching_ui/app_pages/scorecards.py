"""Scorecards: edit a draft as a form with its YAML beside it, run its test cases, preview what it would do
to recent scores, publish it, and read or restore earlier versions."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st
import yaml

from coaching_ui import session
from coaching_ui.components import interaction as interaction_widgets
from coaching_ui.components import scorecards as widgets
from coaching_ui.figures import md_literal
from qa import access
from qa.config import get_settings

principal = session.require_role(access.SCORECARD_READERS)
settings = get_settings()
st.title("Scorecards")
widgets.show_notice()

rubrics = {r.id: r for r in widgets.scorecards(principal)}
if not rubrics:
    st.info("No scorecards in the rubrics folder.")
    st.stop()
rubric_id = st.selectbox(
    "Scorecard", list(rubrics), format_func=lambda i: f"{rubrics[i].name} ({i})", key="sc_rubric"
)
rubric = rubrics[rubric_id]
st.caption(
    f"Version {rubric.version} in use · {md_literal(rubric.file)} · channels: {', '.join(rubric.channels)} · "
    f"{rubric.criteria} criteria"
)
draft = widgets.open_draft(principal, rubric_id) if rubric.can_edit else None
editing = draft is not None and draft.status == "draft"

edit_tab, preview_tab, history_tab = st.tabs(["Edit", "Impact preview", "History"])

with edit_tab:
    if not rubric.can_edit:
        st.info("Read only: managers and admins edit scorecards.")
        st.code(widgets.published_yaml(principal, rubric_id), language="yaml")
    elif not editing or draft is None:
        st.write("Changes are made in a draft; nothing is scored with it until it is published.")
        st.button(
            "Start a draft",
            type="primary",
            key="sc_start",
            on_click=widgets.start_draft,
            args=(principal, rubric_id),
        )
        widgets.general_error([])
    else:
        st.caption(
            f"Draft {draft.id} by {md_literal(draft.created_by)}, from version {draft.base_version}; "
            f"it would be version {draft.version}."
        )
        data = yaml.safe_load(draft.yaml)
        form_side, yaml_side = st.columns(2)
        fields: list[str] = []
        with form_side:
            sections = {s["id"]: s for s in data["sections"]}
            section_id = st.selectbox("Section", list(sections), key=f"sc_section_{draft.id}")
            section = sections[section_id]
            widgets.section_form(draft, section)
            criteria = {c["id"]: c for c in section["criteria"]}
            criterion_id = st.selectbox(
                "Criterion", list(criteria), key=f"sc_criterion_{draft.id}_{section_id}"
            )
            widgets.criterion_form(draft, data, section, criteria[criterion_id])
            fields += [f"sections[{section_id}].name", f"sections[{section_id}].weight"]
            fields.append(widgets.criterion_path(section_id, criterion_id))
            st.button(
                "Apply to the draft",
                type="primary",
                key="sc_apply",
                on_click=widgets.apply_form,
                args=(principal, draft, section_id, criterion_id),
            )
        with yaml_side:
            st.text_area("YAML", draft.yaml, key=widgets.yaml_key(draft), height=520)
            st.button("Save YAML", key="sc_save_yaml", on_click=widgets.save_yaml, args=(principal, draft))
            widgets.general_error(fields)
        st.button(
            "Run test cases",
            icon=":material/checklist:",
            key="sc_tests",
            on_click=widgets.run_tests,
            args=(principal, draft),
        )
        widgets.show_tests(draft)

with preview_tab:
    if not rubric.can_edit:
        st.info("Managers and admins preview and publish drafts.")
    elif not editing or draft is None:
        st.info("Start a draft to preview what it would change.")
    else:
        limit = st.number_input(
            "Interactions to rescore (the newest of the scorecard's channels)",
            min_value=1,
            max_value=settings.rubric_preview_max,
            value=settings.rubric_preview_default,
            key="sc_limit",
        )
        st.button(
            "Preview impact",
            icon=":material/preview:",
            key="sc_preview",
            on_click=widgets.start_preview,
            args=(principal, draft, int(limit)),
        )
        state = widgets.preview(principal, rubric_id, draft.id)
        if widgets.running(state):
            widgets.progress(state)
            st.button("Refresh", key="sc_refresh")
        elif state.status == "failed":
            st.error(f"The preview failed: {md_literal(state.error)}")
        elif state.result is not None:
            result = state.result
            overall = result["overall"]
            now, with_draft, evaluated = st.columns(3)
            now.metric("Mean score now", overall["before"])
            with_draft.metric("Mean with the draft", overall["after"])
            evaluated.metric("Interactions rescored", result["evaluated"])
            st.subheader("Answers that would change, per criterion")
            st.dataframe(widgets.criteria_frame(result), hide_index=True, width="stretch")
            st.subheader("Mean score per team")
            st.dataframe(widgets.means_frame(result["teams"], "team"), hide_index=True, width="stretch")
            st.subheader("Mean score per agent")
            st.dataframe(widgets.means_frame(result["agents"], "agent"), hide_index=True, width="stretch")
            st.subheader("Changed interactions")
            changed = result["changed"]
            if changed:
                picked = st.selectbox(
                    "Open",
                    range(len(changed)),
                    format_func=lambda i: widgets.changed_label(changed[i]),
                    key="sc_changed",
                )
                widgets.side_by_side(changed[picked])
                if st.button("Open in the Interaction page", icon=":material/open_in_new:", key="sc_open"):
                    interaction_widgets.open_interaction(changed[picked]["interaction_id"])
                    st.switch_page("app_pages/interaction.py")
            else:
                st.write("No interaction would score differently.")
        st.divider()
        st.subheader("Publish")
        st.text_input("Why (kept in the audit log)", key="sc_reason", max_chars=2000)
        st.button(
            "Publish",
            type="primary",
            icon=":material/publish:",
            key="sc_publish",
            on_click=widgets.publish,
            args=(principal, draft, "sc_reason"),
        )

    if rubric.can_edit:
        st.divider()
        st.subheader("Rescore with the version in use")
        since = st.date_input("Interactions since", value=date.today() - timedelta(days=30), key="sc_since")
        st.button(
            "Rescore",
            icon=":material/replay:",
            key="sc_rescore",
            on_click=widgets.rescore,
            args=(principal, rubric_id, since),
        )

with history_tab:
    versions = widgets.history(principal, rubric_id)
    st.dataframe(widgets.versions_frame(versions), hide_index=True, width="stretch")
    by_version = {v.version: v for v in versions}
    shown = st.selectbox("Version", list(by_version), key="sc_version")
    chosen = by_version[shown]
    st.code(chosen.diff or "(the first stored version: nothing to compare with)", language="diff")
    if rubric.can_edit and not chosen.current:
        st.button(
            "Restore as a new draft",
            key="sc_restore",
            on_click=widgets.restore,
            args=(principal, rubric_id, shown),
        )
