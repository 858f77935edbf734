"""Every area's models, imported in one place so that Alembic and create_all see the whole schema."""

from app.api.models import ApiToken, IdempotencyKey
from app.audit.models import AuditEvent
from app.auth.models import LoginThrottle, Membership, User
from app.awards.models import Award, Signature
from app.cameras.models import (
    Camera,
    CameraHealth,
    CameraNetwork,
    CameraOutage,
    CheckScore,
    Evaluation,
    FootageRequest,
    NetworkDocument,
    QualityCheck,
    TechnologyChange,
)
from app.inventory.models import Figure, FigureImport, Finding, FindingPhoto, Inspection, ScanEntry
from app.jobs.models import JobRecord, JobRun, SchedulerJob
from app.mail.models import OutboxAttachment, OutboxMail
from app.meetings.models import Meeting, MeetingAttendee, MeetingDecision
from app.notifications.models import Notification
from app.parks.models import Company, CompanyImport, Cycle, Park, StepTransition
from app.plans.models import (
    ActionNote,
    CalendarFeed,
    CalendarItem,
    CatalogueItem,
    Goal,
    GoalMeasurement,
    Plan,
    PlanAction,
    PlanVersion,
)
from app.stakeholders.models import Organisation, Stakeholder
from app.surveys.models import Survey, SurveyContact, SurveyInvitation, SurveyResponse

__all__ = [
    "ActionNote",
    "ApiToken",
    "AuditEvent",
    "Award",
    "CalendarFeed",
    "CalendarItem",
    "Camera",
    "CameraHealth",
    "CameraNetwork",
    "CameraOutage",
    "CatalogueItem",
    "CheckScore",
    "Company",
    "CompanyImport",
    "Cycle",
    "Evaluation",
    "Figure",
    "FigureImport",
    "Finding",
    "FindingPhoto",
    "FootageRequest",
    "Goal",
    "GoalMeasurement",
    "IdempotencyKey",
    "Inspection",
    "JobRecord",
    "JobRun",
    "LoginThrottle",
    "Meeting",
    "MeetingAttendee",
    "MeetingDecision",
    "Membership",
    "NetworkDocument",
    "Notification",
    "Organisation",
    "OutboxAttachment",
    "OutboxMail",
    "Park",
    "Plan",
    "PlanAction",
    "PlanVersion",
    "QualityCheck",
    "ScanEntry",
    "SchedulerJob",
    "Signature",
    "Stakeholder",
    "StepTransition",
    "Survey",
    "SurveyContact",
    "SurveyInvitation",
    "SurveyResponse",
    "TechnologyChange",
    "User",
]
