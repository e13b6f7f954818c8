"""rubric drafts edited in the coaching view, and rubric preview jobs

Revision ID: 0012_rubric_drafts
Revises: 0009_calibration
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012_rubric_drafts"
down_revision: str | None = "0009_calibration"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "rubric_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rubric_id", sa.String(length=120), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("base_version", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("preview_status", sa.String(length=16), nullable=False),
        sa.Column("preview_done", sa.Integer(), nullable=False),
        sa.Column("preview_total", sa.Integer(), nullable=False),
        sa.Column("preview", JSON, nullable=True),
        sa.Column("preview_error", sa.Text(), nullable=True),
        sa.Column("published_version", sa.String(length=64), nullable=True),
        sa.Column("published_by", sa.String(length=120), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("publish_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'published')", name=op.f("ck_rubric_draft_status")),
        sa.CheckConstraint(
            "preview_status IN ('none', 'queued', 'running', 'done', 'failed')",
            name=op.f("ck_rubric_draft_preview_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rubric_draft")),
    )
    with op.batch_alter_table("rubric_draft", schema=None) as batch_op:
        batch_op.create_index("ix_rubric_draft_rubric_id", ["rubric_id", "status"], unique=False)
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rubric_draft_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_job_rubric_draft_id_rubric_draft"),
            "rubric_draft",
            ["rubric_draft_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_job_rubric_draft_id_rubric_draft"), type_="foreignkey")
        batch_op.drop_column("rubric_draft_id")
    with op.batch_alter_table("rubric_draft", schema=None) as batch_op:
        batch_op.drop_index("ix_rubric_draft_rubric_id")
    op.drop_table("rubric_draft")
