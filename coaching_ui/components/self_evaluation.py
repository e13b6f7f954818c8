"""Self-evaluation on the interaction page: the agent's form, and self against reviewer side by side."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from coaching_ui import session
from coaching_ui.components.common import perform
from qa.access import Principal
from qa.errors import CallcoachError
from qa.evaluations import self_evaluation as self_service
from qa.interactions.schemas import EvaluationRead
from qa.models import Answer, ReviewStatus


def _comparison(principal: Principal, interaction_id: int) -> self_service.SelfComparison | None:
    try:
        with session.db() as db:
            return self_service.comparison(session=db, principal=principal, interaction_id=interaction_id)
    except CallcoachError:
        return None


def side_by_side(principal: Principal, interaction_id: int) -> None:
    """The agent's own answers next to the current ones, when she gave any."""
    compared = _comparison(principal, interaction_id)
    if compared is None or compared.submitted_at is None:
        return
    st.subheader("Self-evaluation against review")
    table = pd.DataFrame(
        [
            {
                "criterion": row.question or row.criterion_id,
                "agent": row.self_answer.value if row.self_answer else "–",
                "review": row.reviewer_answer,
                "agree": "–" if row.agrees is None else ("yes" if row.agrees else "no"),
            }
            for row in compared.rows
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch", key="self_vs_review")


def agent_form(principal: Principal, evaluation: EvaluationRead) -> None:
    """Score the interaction yourself, once, while no reviewer has answered."""
    compared = _comparison(principal, evaluation.interaction_id)
    if compared is not None and compared.submitted_at is not None:
        side_by_side(principal, evaluation.interaction_id)
        return
    if evaluation.review_status != ReviewStatus.PENDING or compared is None or not compared.allowed:
        return
    with (
        st.expander("Score this interaction yourself", icon=":material/checklist:"),
        st.form("self_evaluation"),
    ):
        answers = {
            c.criterion_id: st.radio(
                c.question or c.criterion_id,
                list(Answer),
                index=None,
                horizontal=True,
                key=f"self_{c.criterion_id}",
            )
            for c in evaluation.criteria
        }
        if st.form_submit_button("Send my answers"):
            given = {k: Answer(v) for k, v in answers.items() if v is not None}
            if not given:
                st.error("Answer at least one criterion.")
            elif perform(
                self_service.submit,
                principal=principal,
                interaction_id=evaluation.interaction_id,
                answers=given,
            ):
                st.toast("Self-evaluation saved")
                st.rerun()
