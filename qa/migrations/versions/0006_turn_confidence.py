"""turn confidence: unclear words per turn, needs_review on answers and evaluations

Revision ID: 0006_turn_confidence
Revises: 0011_redaction
Create Date: 2026-12-02 00:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_turn_confidence"
down_revision: str | None = "0011_redaction"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Server defaults fill the rows stored before: typed or earlier turns have no unclear words.
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unclear_words", JSON, nullable=False, server_default="[]"))
    with op.batch_alter_table("criterion_result", schema=None) as batch_op:
        batch_op.add_column(sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index("ix_evaluation_current_needs_review", ["is_current", "needs_review"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluation_current_needs_review")
        batch_op.drop_column("needs_review")
    with op.batch_alter_table("criterion_result", schema=None) as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("needs_review")
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.drop_column("unclear_words")
