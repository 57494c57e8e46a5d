"""last status event of each occurrence, for statuses as of a past day

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 07:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("occurrences", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=True))
    # The backfill: the latest moment of each occurrence's audit trail (none for those never changed).
    op.execute(
        "UPDATE occurrences SET last_event_at = "
        "(SELECT MAX(status_events.at) FROM status_events WHERE status_events.occurrence_id = occurrences.id)"
    )
    with op.batch_alter_table("occurrences", schema=None) as batch_op:
        batch_op.create_index("ix_occurrences_due_last_event", ["due_on", "last_event_at"], unique=False)
    with op.batch_alter_table("status_events", schema=None) as batch_op:
        batch_op.create_index("ix_status_events_occurrence_at", ["occurrence_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("status_events", schema=None) as batch_op:
        batch_op.drop_index("ix_status_events_occurrence_at")
    with op.batch_alter_table("occurrences", schema=None) as batch_op:
        batch_op.drop_index("ix_occurrences_due_last_event")
        batch_op.drop_column("last_event_at")
