"""Machine agreement: how far the machine's answers agree with people's final answers, and which
criteria it is trusted on."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from coaching_ui import session
from coaching_ui.components import common
from coaching_ui.components import trust as widgets
from qa import access
from qa.agreement import service as agreement_service
from qa.config import get_settings

principal = session.require_role(access.MANAGERS)
st.title("Machine agreement")
st.caption(
    "Over interactions where a person gave or confirmed the final answer (finalized reviews, calibration "
    "expert answers): percent agreement and Cohen's kappa with its 95% interval."
)
left, right = st.columns([1, 1])
rubric = left.text_input("Rubric id", key="agreement_rubric", placeholder="all rubrics").strip() or None
since = right.date_input(
    "Interactions since", value=common.latest_day(principal) - timedelta(weeks=26), key="agreement_since"
)

with session.db() as db:
    rows = agreement_service.agreement_report(session=db, principal=principal, rubric=rubric, since=since)
    trend = agreement_service.agreement_trend(session=db, principal=principal, rubric=rubric, since=since)
    trust = agreement_service.trust_report(session=db, principal=principal, rubric=rubric)

st.subheader("Per criterion")
if rows:
    st.dataframe(widgets.agreement_frame(rows), hide_index=True, width="stretch")
else:
    st.info("No settled human answers yet in this period.")
st.subheader("Trend")
if trend:
    st.altair_chart(widgets.agreement_trend_chart(trend), width="stretch")

st.subheader("Which criteria the machine is trusted on")
settings = get_settings()
st.caption(
    f"Trusted: the 95% interval of kappa stays at or above {settings.trust_min_kappa} over at least "
    f"{settings.trust_min_answers} human answers. Below that the machine's answer is a suggestion and those "
    "interactions come first in the review queue."
)
if st.button("Recompute now", icon=":material/refresh:", key="trust_refresh") and common.perform(
    agreement_service.refresh_trust_as, principal=principal, rule=agreement_service.trust_rule(settings)
):
    st.rerun()
if trust:
    st.dataframe(widgets.trust_frame(trust), hide_index=True, width="stretch")
else:
    st.info("Not computed yet: press Recompute, or wait for the weekly run.")
