"""All ORM models, imported here so Alembic and the app see one metadata."""

from qa.models.audit import AuditEntry
from qa.models.base import Base
from qa.models.calibration import (
    CalibrationAnswer,
    CalibrationExpertAnswer,
    CalibrationItem,
    CalibrationReviewer,
    CalibrationSession,
    CalibrationStatus,
    CriterionTrust,
    ReviewAssignment,
)
from qa.models.coaching import CoachingNote
from qa.models.enums import Answer, Channel, ReviewStatus, Speaker
from qa.models.evaluation import CriterionResult, Evaluation, RubricVersion
from qa.models.interaction import Interaction, Media, Turn
from qa.models.job import Job, JobKind, JobStatus
from qa.models.people import Agent, Role, Team, User

__all__ = [
    "Agent",
    "Answer",
    "AuditEntry",
    "Base",
    "CalibrationAnswer",
    "CalibrationExpertAnswer",
    "CalibrationItem",
    "CalibrationReviewer",
    "CalibrationSession",
    "CalibrationStatus",
    "Channel",
    "CoachingNote",
    "CriterionResult",
    "CriterionTrust",
    "Evaluation",
    "Interaction",
    "Job",
    "JobKind",
    "JobStatus",
    "Media",
    "ReviewAssignment",
    "ReviewStatus",
    "Role",
    "RubricVersion",
    "Speaker",
    "Team",
    "Turn",
    "User",
]
