"""evaluations and analysis results

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:17:07.367693
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rubric_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rubric_id', sa.String(length=120), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_version')),
    sa.UniqueConstraint('rubric_id', 'version', name=op.f('uq_rubric_version_rubric_id_version'))
    )
    op.create_table('evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('rubric_version_id', sa.Integer(), nullable=False),
    sa.Column('total', sa.Double(), nullable=True),
    sa.Column('auto_fail', sa.Boolean(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('review_status', sa.String(length=16), nullable=False),
    sa.Column('sections', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['interaction_id'], ['interaction.id'], name=op.f('fk_evaluation_interaction_id_interaction'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rubric_version_id'], ['rubric_version.id'], name=op.f('fk_evaluation_rubric_version_id_rubric_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation'))
    )
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_current_total', ['is_current', 'total'], unique=False)
        batch_op.create_index('ix_evaluation_interaction_current', ['interaction_id', 'is_current'], unique=False)

    op.create_table('criterion_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=120), nullable=False),
    sa.Column('section', sa.String(length=120), nullable=True),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('points', sa.Double(), nullable=False),
    sa.Column('max_points', sa.Double(), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=True),
    sa.Column('critical', sa.Boolean(), nullable=False),
    sa.Column('evidence', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('machine_result', sa.String(length=16), nullable=True),
    sa.Column('override_comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_criterion_result_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion_result')),
    sa.UniqueConstraint('evaluation_id', 'criterion_id', name=op.f('uq_criterion_result_evaluation_id_criterion_id'))
    )
    with op.batch_alter_table('criterion_result', schema=None) as batch_op:
        batch_op.create_index('ix_criterion_result_criterion', ['criterion_id', 'result'], unique=False)

    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('topic', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('topic_confidence', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('sentiment', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True))
        batch_op.add_column(sa.Column('customer_sentiment_end', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_interaction_customer_sentiment_end'), ['customer_sentiment_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_topic'), ['topic'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interaction_topic'))
        batch_op.drop_index(batch_op.f('ix_interaction_customer_sentiment_end'))
        batch_op.drop_column('processed_at')
        batch_op.drop_column('customer_sentiment_end')
        batch_op.drop_column('sentiment')
        batch_op.drop_column('topic_confidence')
        batch_op.drop_column('topic')
        batch_op.drop_column('language')

    with op.batch_alter_table('criterion_result', schema=None) as batch_op:
        batch_op.drop_index('ix_criterion_result_criterion')

    op.drop_table('criterion_result')
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_interaction_current')
        batch_op.drop_index('ix_evaluation_current_total')

    op.drop_table('evaluation')
    op.drop_table('rubric_version')
