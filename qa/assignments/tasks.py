"""The scheduled weekly run: a Celery beat entry that assigns last week's reviews every week."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from celery import Celery
from celery.schedules import crontab

from qa.agreement.service import trust_rule
from qa.assignments import service
from qa.config import Settings, get_settings
from qa.db import session_scope

log = logging.getLogger(__name__)

ASSIGN_TASK = "callcoach.assign_week"
SCHEDULE_NAME = "assign-last-week"


def assign_last_week() -> str:
    """Run every team's sampling plan for the ISO week before today (UTC); safe to run twice."""
    settings = get_settings()
    week = service.previous_week(datetime.now(UTC).date())
    plans = service.plans_in(settings.sampling_dir)
    with session_scope(settings.database_url) as session:
        runs = service.run_week(session=session, plans=plans, week=week, rule=trust_rule(settings))
    for run in runs:
        log.info("assignments %s %s: %d new, %d already", run.team, run.week, run.created, run.already)
    return f"{week}: {sum(r.created for r in runs)} new"


def register(app: Celery, settings: Settings, queue: str) -> None:
    """Add the task and its beat entry (run beat with `callcoach worker --beat`)."""
    app.task(name=ASSIGN_TASK)(assign_last_week)
    app.conf.beat_schedule = {
        **(app.conf.beat_schedule or {}),
        SCHEDULE_NAME: {
            "task": ASSIGN_TASK,
            "schedule": crontab(minute=0, hour=settings.assign_hour, day_of_week=settings.assign_day_of_week),
            "options": {"queue": queue},
        },
    }
