"""Tables and charts of measured trust: machine agreement, criterion trust, reviewer workload, my
assignments and QA against outcomes. Pages call these; they call qa services, never SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from coaching_ui import session
from coaching_ui.components import printouts
from qa.access import Principal
from qa.agreement.schemas import AgreementWeek, CriterionAgreement, CriterionTrustRead
from qa.assignments import service as assignment_service
from qa.assignments.schemas import MyAssignments, WorkloadRow
from qa.outcomes import service as outcome_service
from qa.outcomes.schemas import CriterionOutcome
from qa.printouts.document import Table

TRUST_LABELS = {"trusted": "trusted", "needs_human": "needs a person", "unmeasured": "not enough answers"}


def agreement_frame(rows: Sequence[CriterionAgreement]) -> pd.DataFrame:
    """One row per criterion: n, agreement, kappa with its 95 % interval and the disagreements."""
    return pd.DataFrame(
        [
            {
                "rubric": r.rubric_id,
                "criterion": r.criterion_id,
                "question": r.question,
                "n": r.n,
                "agreement": r.agreement,
                "kappa": r.kappa,
                "kappa 95% low": r.kappa_low,
                "kappa 95% high": r.kappa_high,
                "machine pass, person fail": r.confusion.get("pass/fail", 0),
                "machine fail, person pass": r.confusion.get("fail/pass", 0),
                "other disagreements": sum(
                    count
                    for key, count in r.confusion.items()
                    if key.split("/")[0] != key.split("/")[1] and key not in ("pass/fail", "fail/pass")
                ),
            }
            for r in rows
        ],
        columns=[
            "rubric",
            "criterion",
            "question",
            "n",
            "agreement",
            "kappa",
            "kappa 95% low",
            "kappa 95% high",
            "machine pass, person fail",
            "machine fail, person pass",
            "other disagreements",
        ],
    )


def agreement_trend_chart(points: Sequence[AgreementWeek]) -> alt.Chart:
    """Kappa per criterion and week (points sized by the number of answers)."""
    frame = pd.DataFrame(
        [p.model_dump() for p in points], columns=["criterion_id", "week", "n", "agreement", "kappa"]
    )
    frame["week"] = pd.to_datetime(frame["week"])
    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title="Week"),
            y=alt.Y("kappa:Q", title="Cohen's kappa", scale=alt.Scale(domain=[-1, 1])),
            color=alt.Color("criterion_id:N", title="Criterion"),
            tooltip=["criterion_id", "week", "n", "agreement", "kappa"],
        )
    )


def trust_frame(rows: Sequence[CriterionTrustRead]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "rubric": r.rubric_id,
                "version": r.version,
                "criterion": r.criterion_id,
                "machine is": TRUST_LABELS.get(r.status, r.status),
                "human answers": r.n,
                "kappa": r.kappa,
                "kappa 95% low": r.kappa_low,
            }
            for r in rows
        ],
        columns=["rubric", "version", "criterion", "machine is", "human answers", "kappa", "kappa 95% low"],
    )


def workload_frame(rows: Sequence[WorkloadRow]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "week": r.week,
                "reviewer": r.reviewer,
                "assigned": r.assigned,
                "completed": r.completed,
                "overdue": r.overdue,
                "completion": r.completion,
            }
            for r in rows
        ],
        columns=["week", "reviewer", "assigned", "completed", "overdue", "completion"],
    )


def outcomes_frame(rows: Sequence[CriterionOutcome]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "criterion": r.criterion_id,
                "pass rate": r.pass_rate,
                "CSAT passed": r.csat_passed,
                "CSAT failed": r.csat_failed,
                "CSAT difference": r.csat_difference,
                "CSAT n (passed/failed)": f"{r.csat_passed_n}/{r.csat_failed_n}",
                "FCR passed": r.fcr_passed,
                "FCR failed": r.fcr_failed,
                "FCR difference": r.fcr_difference,
                "FCR n (passed/failed)": f"{r.fcr_passed_n}/{r.fcr_failed_n}",
            }
            for r in rows
        ]
    )


def dashboard_sections(principal: Principal, start: date, end: date, *, stem: str) -> list[Table]:
    """Reviewer workload per week and QA against outcomes, for the manager's dashboard; the tables shown
    (each with its CSV download) are returned for the dashboard's workbook."""
    with session.db() as db:
        workload = assignment_service.workload(session=db, principal=principal, since=start)
        outcomes = outcome_service.criterion_outcomes(session=db, principal=principal, start=start, end=end)
    shown: list[Table] = []
    st.subheader("Reviewer workload")
    if workload:
        shown.append(Table("Reviewer workload", workload_frame(workload)))
        printouts.table(shown[-1], key="dashboard_workload", stem=stem)
    else:
        st.info("No review assignments in this period (`callcoach assign` creates them from sampling plans).")
    st.subheader("QA against outcomes")
    st.caption(
        "Mean CSAT and first-contact resolution when each criterion passed against when it failed, "
        "with counts."
    )
    if outcomes:
        shown.append(Table("QA against outcomes", outcomes_frame(outcomes)))
        printouts.table(shown[-1], key="dashboard_outcomes", stem=stem)
    else:
        st.info("No scored interactions in this period.")
    return shown


def my_assignments(principal: Principal) -> MyAssignments:
    with session.db() as db:
        return assignment_service.my_assignments(session=db, principal=principal)


def assignment_summary(assigned: MyAssignments) -> None:
    """The counts and next due day of the caller's assignments, above the queue."""
    cols = st.columns(4)
    cols[0].metric("Assigned to me", assigned.total)
    cols[1].metric("Done", assigned.done)
    cols[2].metric("Overdue", assigned.overdue)
    cols[3].metric("Next due", str(assigned.next_due) if assigned.next_due else "–")
