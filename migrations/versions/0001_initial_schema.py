"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 18:41:39.429114
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("place", sa.String(length=255), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=False),
        sa.Column("signer_name", sa.String(length=255), nullable=False),
        sa.Column("signer_title", sa.String(length=255), nullable=False),
        sa.Column("signer_contact", sa.String(length=64), nullable=False),
        sa.Column("bases", sa.JSON(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("support_lead_workdays", sa.Integer(), nullable=True),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("code", name=op.f("uq_plans_code")),
    )
    op.create_table(
        "baseline_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("value_text", sa.String(length=64), nullable=True),
        sa.Column("of", sa.String(length=255), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_baseline_figures_plan_id_plans"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_baseline_figures")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_baseline_figures_plan_id_code")),
    )
    with op.batch_alter_table("baseline_figures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_baseline_figures_plan_id"), ["plan_id"], unique=False)
    op.create_table(
        "bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("short_name", sa.String(length=255), nullable=True),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("authority", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_bodies_plan_id_plans"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bodies")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_bodies_plan_id_code")),
    )
    with op.batch_alter_table("bodies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bodies_plan_id"), ["plan_id"], unique=False)
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("value_text", sa.String(length=64), nullable=True),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.Column("condition", sa.String(length=255), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_targets_plan_id_plans"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targets")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_targets_plan_id_code")),
    )
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_targets_plan_id"), ["plan_id"], unique=False)
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=True),
        sa.Column("channel_ref", sa.String(length=128), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["body_id"], ["bodies.id"], name=op.f("fk_contacts_body_id_bodies"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_contacts_plan_id_plans"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_contacts_plan_id_code")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_plan_id"), ["plan_id"], unique=False)
    op.create_table(
        "duties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("cadence", sa.JSON(), nullable=False),
        sa.Column("due_rule", sa.JSON(), nullable=False),
        sa.Column("condition", sa.String(length=32), nullable=True),
        sa.Column("condition_text", sa.String(length=255), nullable=True),
        sa.Column("legal_basis", sa.JSON(), nullable=False),
        sa.Column("other_partners", sa.JSON(), nullable=False),
        sa.Column("support_lead_workdays", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["body_id"], ["bodies.id"], name=op.f("fk_duties_body_id_bodies"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_duties_plan_id_plans"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duties")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_duties_plan_id_code")),
    )
    with op.batch_alter_table("duties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duties_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_duties_plan_id"), ["plan_id"], unique=False)
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["body_id"], ["bodies.id"], name=op.f("fk_units_body_id_bodies"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("body_id", "code", name=op.f("uq_units_body_id_code")),
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_units_body_id"), ["body_id"], unique=False)
    op.create_table(
        "duty_supports",
        sa.Column("duty_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["body_id"], ["bodies.id"], name=op.f("fk_duty_supports_body_id_bodies"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["duty_id"], ["duties.id"], name=op.f("fk_duty_supports_duty_id_duties"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("duty_id", "body_id", name=op.f("pk_duty_supports")),
    )
    op.create_table(
        "funding_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=255), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["duty_id"], ["duties.id"], name=op.f("fk_funding_records_duty_id_duties"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_records")),
    )
    with op.batch_alter_table("funding_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_funding_records_duty_id"), ["duty_id"], unique=False)
    op.create_table(
        "occurrences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("period_kind", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["body_id"], ["bodies.id"], name=op.f("fk_occurrences_body_id_bodies"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["duty_id"], ["duties.id"], name=op.f("fk_occurrences_duty_id_duties"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["parent_id"], ["occurrences.id"], name=op.f("fk_occurrences_parent_id_occurrences"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_occurrences_plan_id_plans"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_occurrences_unit_id_units"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_occurrences")),
        sa.UniqueConstraint("plan_id", "key", name=op.f("uq_occurrences_plan_id_key")),
    )
    with op.batch_alter_table("occurrences", schema=None) as batch_op:
        batch_op.create_index("ix_occurrences_body_due", ["body_id", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_occurrences_duty_id"), ["duty_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_occurrences_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index("ix_occurrences_plan_due", ["plan_id", "due_on"], unique=False)
        batch_op.create_index("ix_occurrences_status_due", ["status", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_occurrences_unit_id"), ["unit_id"], unique=False)
    op.create_table(
        "target_allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["target_id"], ["targets.id"], name=op.f("fk_target_allocations_target_id_targets"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_target_allocations_unit_id_units"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_allocations")),
        sa.UniqueConstraint("target_id", "unit_id", name=op.f("uq_target_allocations_target_id_unit_id")),
    )
    with op.batch_alter_table("target_allocations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_allocations_target_id"), ["target_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_allocations_unit_id"), ["unit_id"], unique=False)
    op.create_table(
        "status_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["occurrence_id"], ["occurrences.id"], name=op.f("fk_status_events_occurrence_id_occurrences"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_events")),
    )
    with op.batch_alter_table("status_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_events_occurrence_id"), ["occurrence_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("status_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_events_occurrence_id"))
    op.drop_table("status_events")
    with op.batch_alter_table("target_allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_allocations_unit_id"))
        batch_op.drop_index(batch_op.f("ix_target_allocations_target_id"))
    op.drop_table("target_allocations")
    with op.batch_alter_table("occurrences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_occurrences_unit_id"))
        batch_op.drop_index("ix_occurrences_status_due")
        batch_op.drop_index("ix_occurrences_plan_due")
        batch_op.drop_index(batch_op.f("ix_occurrences_parent_id"))
        batch_op.drop_index(batch_op.f("ix_occurrences_duty_id"))
        batch_op.drop_index("ix_occurrences_body_due")
    op.drop_table("occurrences")
    with op.batch_alter_table("funding_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funding_records_duty_id"))
    op.drop_table("funding_records")
    op.drop_table("duty_supports")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_body_id"))
    op.drop_table("units")
    with op.batch_alter_table("duties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duties_plan_id"))
        batch_op.drop_index(batch_op.f("ix_duties_body_id"))
    op.drop_table("duties")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_plan_id"))
        batch_op.drop_index(batch_op.f("ix_contacts_body_id"))
    op.drop_table("contacts")
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_targets_plan_id"))
    op.drop_table("targets")
    with op.batch_alter_table("bodies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bodies_plan_id"))
    op.drop_table("bodies")
    with op.batch_alter_table("baseline_figures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_baseline_figures_plan_id"))
    op.drop_table("baseline_figures")
    op.drop_table("plans")
