"""A reviewer's controls on the interaction page: override on the criterion's card, finish or reopen."""

from __future__ import annotations

import streamlit as st

from coaching_ui.components.common import perform
from qa.access import Principal
from qa.interactions.schemas import CriterionRead, EvaluationRead
from qa.models import ReviewStatus
from qa.models.enums import PENDING_ANSWER
from qa.reviews import service as review_service


def override_form(principal: Principal, evaluation: EvaluationRead, criterion: CriterionRead) -> None:
    """Correct this criterion's answer; nothing is preselected, the same answer changes nothing."""
    if evaluation.review_status == ReviewStatus.FINAL:
        return
    cid = criterion.criterion_id
    with (
        st.expander("Correct this answer", icon=":material/edit:"),
        st.form(f"override_{cid}", clear_on_submit=True, border=False),
    ):
        result = st.radio(
            "Answer",
            review_service.REVIEW_RESULTS,
            index=None,
            horizontal=True,
            key=f"override_result_{cid}",
        )
        comment = st.text_area("Why", key=f"override_comment_{cid}")
        if st.form_submit_button("Save override"):
            if result is None:
                st.error("Choose an answer first.")
            elif result == criterion.result:
                st.info(f"The answer is already {result}; nothing changed.")
            elif perform(
                review_service.override_criterion,
                principal=principal,
                interaction_id=evaluation.interaction_id,
                criterion_id=cid,
                result=result,
                comment=comment,
            ):
                st.toast("Override saved")
                st.rerun()


def finish_or_reopen(principal: Principal, evaluation: EvaluationRead) -> None:
    """Finish the review (refused while a criterion is pending) or reopen a finished one."""
    interaction_id = evaluation.interaction_id
    if evaluation.review_status == ReviewStatus.FINAL:
        when = f" on {evaluation.finalized_at:%Y-%m-%d %H:%M}" if evaluation.finalized_at else ""
        st.success(f"Review finished{when}.", icon=":material/task_alt:")
        if st.button("Reopen review", key="reopen") and perform(
            review_service.reopen_review, principal=principal, interaction_id=interaction_id
        ):
            st.toast("Review reopened")
            st.rerun()
        return
    pending = [c.criterion_id for c in evaluation.criteria if c.result == PENDING_ANSWER]
    if pending:
        st.warning(f"Still pending: {', '.join(pending)}. Answer them before finishing.")
    if st.button("Mark review finished", key="finalize", disabled=bool(pending)) and perform(
        review_service.finalize_review, principal=principal, interaction_id=interaction_id
    ):
        st.toast("Review finished")
        st.rerun()
