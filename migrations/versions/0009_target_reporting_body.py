"""the body that reports each target

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("body_assumed", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f("ix_targets_body_id"), ["body_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_targets_body_id_bodies"), "bodies", ["body_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_targets_body_id_bodies"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_targets_body_id"))
        batch_op.drop_column("body_assumed")
        batch_op.drop_column("body_id")
