"""job lease: a running job's heartbeat, so a killed worker's job is taken up again within the lease

Revision ID: 0008_job_lease
Revises: 0010_agent_side
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_job_lease"
down_revision: str | None = "0010_agent_side"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_lease",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], name=op.f("fk_job_lease_job_id_job"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_job_lease")),
    )
    with op.batch_alter_table("job_lease", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_lease_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("job_lease", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_lease_expires_at"))
    op.drop_table("job_lease")
