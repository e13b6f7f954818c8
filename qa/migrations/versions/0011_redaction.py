"""redaction: interaction marker, redacted media, placeholder positions

Revision ID: 0011_redaction
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_redaction"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("redacted_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unredacted_path", sa.String(length=1024), nullable=True))
        batch_op.add_column(sa.Column("redacted", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "redacted_entity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("turn_index", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("start_seconds", sa.Double(), nullable=True),
        sa.Column("end_seconds", sa.Double(), nullable=True),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_redacted_entity_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redacted_entity")),
    )
    with op.batch_alter_table("redacted_entity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_redacted_entity_interaction_id"), ["interaction_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("redacted_entity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_redacted_entity_interaction_id"))
    op.drop_table("redacted_entity")
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.drop_column("redacted")
        batch_op.drop_column("unredacted_path")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_column("redacted_at")
