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
from qa.models.dispute import Dispute, DisputeStatus
from qa.models.enums import Answer, Channel, ReviewStatus, Speaker
from qa.models.evaluation import CriterionResult, Evaluation, RubricVersion
from qa.models.interaction import Interaction, Media, RedactedEntity, Turn
from qa.models.job import Job, JobKind, JobLease, JobStatus
from qa.models.note_reply import NoteReply
from qa.models.notification import Notification
from qa.models.people import Agent, LoginFailure, Role, Team, User
from qa.models.rubric_draft import DraftStatus, PreviewStatus, RubricDraft
from qa.models.self_evaluation import SelfEvaluation

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
    "Dispute",
    "DisputeStatus",
    "DraftStatus",
    "Evaluation",
    "Interaction",
    "Job",
    "JobKind",
    "JobLease",
    "JobStatus",
    "LoginFailure",
    "Media",
    "NoteReply",
    "Notification",
    "PreviewStatus",
    "RedactedEntity",
    "ReviewAssignment",
    "ReviewStatus",
    "Role",
    "RubricDraft",
    "RubricVersion",
    "SelfEvaluation",
    "Speaker",
    "Team",
    "Turn",
    "User",
]
