"""What the outcomes report returns."""

from __future__ import annotations

from pydantic import BaseModel


class CriterionOutcome(BaseModel):
    """One criterion over a period: pass rate, CSAT and first-contact resolution when passed vs failed.

    `csat_difference` is mean CSAT when passed minus when failed; `fcr_*` are the shares of contacts with
    a known customer who did not contact again within 7 days.
    """

    criterion_id: str
    question: str
    passed: int
    failed: int
    pass_rate: float | None
    csat_passed: float | None
    csat_failed: float | None
    csat_passed_n: int
    csat_failed_n: int
    csat_difference: float | None
    fcr_passed: float | None
    fcr_failed: float | None
    fcr_passed_n: int
    fcr_failed_n: int
    fcr_difference: float | None
