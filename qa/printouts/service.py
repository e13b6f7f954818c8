"""The printouts a manager downloads: a performance review and a period report, as Documents, within the
caller's scope (the report services check it: an agent outside a supervisor's team is NotFound)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.printouts import document
from qa.printouts.document import Document
from qa.reports import service as report_service


def review_document(
    *, session: Session, principal: Principal, agent: str, start: date, end: date
) -> Document:
    """One agent's performance review over a period."""
    access.require_role(principal, access.MANAGERS, "printing a performance review")
    review = report_service.performance_review(
        session=session, principal=principal, agent=agent, start=start, end=end
    )
    contacts = report_service.contact_figures(
        session=session, principal=principal, start=start, end=end, agent=agent
    )
    return document.performance_review(review, contacts)


def period_document(*, session: Session, principal: Principal, start: date, end: date) -> Document:
    """The period report: every agent in scope and what customers contacted about."""
    access.require_role(principal, access.MANAGERS, "printing a period report")
    report = report_service.period_report(session=session, principal=principal, start=start, end=end)
    contacts = report_service.contact_figures(session=session, principal=principal, start=start, end=end)
    return document.period_report(report, contacts)
