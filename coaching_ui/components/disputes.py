"""Disputes on the interaction page: the agent opens one on a criterion, a reviewer resolves it."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from coaching_ui import session
from coaching_ui.components.common import perform
from qa.access import Principal
from qa.disputes import service as dispute_service
from qa.disputes.schemas import DisputeRead
from qa.interactions.schemas import CriterionRead
from qa.models import DisputeStatus

DECISIONS = {"Uphold (change the answer)": DisputeStatus.UPHELD, "Reject": DisputeStatus.REJECTED}


def dispute_status_line(criterion: CriterionRead, disputes: Sequence[DisputeRead]) -> None:
    """What became of the disputes on this criterion, newest first."""
    for dispute in disputes:
        if dispute.criterion_id != criterion.criterion_id:
            continue
        if dispute.status == DisputeStatus.OPEN:
            st.warning(f"Disputed by {dispute.opened_by}: {dispute.reason}", icon=":material/gavel:")
        else:
            comment = f": {dispute.decision_comment}" if dispute.decision_comment else ""
            st.info(
                f"Dispute {dispute.status} by {dispute.resolved_by}{comment}",
                icon=":material/gavel:",
            )


def dispute_form(principal: Principal, interaction_id: int, criterion: CriterionRead) -> None:
    """The agent's form to dispute this criterion's answer."""
    with (
        st.expander("Dispute this answer", icon=":material/gavel:"),
        st.form(f"dispute_{criterion.criterion_id}", clear_on_submit=True, border=False),
    ):
        reason = st.text_area("Why is this answer wrong?", key=f"dispute_reason_{criterion.criterion_id}")
        if st.form_submit_button("Send dispute") and perform(
            dispute_service.open_dispute,
            principal=principal,
            interaction_id=interaction_id,
            criterion_id=criterion.criterion_id,
            reason=reason,
        ):
            st.toast("Dispute sent to your supervisor")
            st.rerun()


def resolve_form(principal: Principal, dispute: DisputeRead) -> None:
    """A reviewer's decision on one open dispute."""
    with st.form(f"resolve_{dispute.id}", border=True):
        st.markdown(f"**Dispute on `{dispute.criterion_id}`** by {dispute.opened_by}")
        st.text(dispute.reason)
        decision = st.radio("Decision", list(DECISIONS), index=None, key=f"decision_{dispute.id}")
        comment = st.text_area("Comment for the agent", key=f"decision_comment_{dispute.id}")
        if st.form_submit_button("Resolve dispute"):
            if decision is None:
                st.error("Choose uphold or reject.")
            elif perform(
                dispute_service.resolve_dispute,
                principal=principal,
                dispute_id=dispute.id,
                decision=DECISIONS[decision],
                comment=comment,
            ):
                st.toast(f"Dispute {DECISIONS[decision]}")
                st.rerun()


def disputes_frame(disputes: Sequence[DisputeRead]) -> pd.DataFrame:
    """Disputes as a table for the review queue."""
    return pd.DataFrame(
        [
            {
                "interaction": d.interaction_id,
                "agent": d.agent,
                "criterion": d.criterion_id,
                "reason": d.reason,
                "opened": d.created_at,
                "status": d.status.value,
            }
            for d in disputes
        ],
        columns=["interaction", "agent", "criterion", "reason", "opened", "status"],
    )


def open_disputes_toggle(principal: Principal) -> bool:
    """The review queue's filter: show open disputes (with their count) instead of interactions."""
    with session.db() as db:
        count = dispute_service.count_open(session=db, principal=principal)
    return st.toggle(f"Open disputes ({count})", key="queue_disputes")


def open_disputes_table(principal: Principal) -> int | None:
    """The open disputes in the caller's scope, newest first; returns the interaction picked to open."""
    with session.db() as db:
        disputes = dispute_service.list_disputes(session=db, principal=principal, status=DisputeStatus.OPEN)
    if not disputes:
        st.info("No open disputes.")
        return None
    table = disputes_frame(disputes)
    st.dataframe(table, hide_index=True, width="stretch")
    with st.form("open_dispute_interaction", border=False):
        target = st.selectbox(
            "Open the interaction of a dispute",
            sorted(set(table["interaction"].tolist())),
            key="dispute_open_id",
        )
        if st.form_submit_button("Open", icon=":material/open_in_new:"):
            return int(target)
    return None
