"""The database schema and the plan file's schema; nothing here sends or schedules."""

from models.access import AccessToken, Acknowledgement, AuditEntry, Evidence, Person, SignInAttempt, WebSession
from models.base import Base
from models.duty import Duty, DutySupport, FundingRecord, Occurrence, StatusEvent
from models.outbox import AddressDelivery, DeliveryAttempt, InboxMessage, OutboxMention, OutboxMessage, SweepRun
from models.plan import BaselineFigure, Body, Contact, Plan, Target, TargetAllocation, Unit
from models.report import IndicatorValue, Report

__all__ = [
    "AccessToken",
    "Acknowledgement",
    "AddressDelivery",
    "AuditEntry",
    "Base",
    "BaselineFigure",
    "Body",
    "Contact",
    "DeliveryAttempt",
    "Duty",
    "DutySupport",
    "Evidence",
    "FundingRecord",
    "InboxMessage",
    "IndicatorValue",
    "Occurrence",
    "OutboxMention",
    "OutboxMessage",
    "Person",
    "Plan",
    "Report",
    "SignInAttempt",
    "StatusEvent",
    "SweepRun",
    "Target",
    "TargetAllocation",
    "Unit",
    "WebSession",
]
