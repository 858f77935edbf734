"""The response rate of a survey: counts of invitations, per sector, over time and per kind of link, k-anonymous."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from app.audit.models import AuditEvent
from app.clock import local_day
from app.extensions import db
from app.parks.companies import sector_label
from app.surveys.models import InvitationStatus, Survey, SurveyInvitation, SurveyResponse
from app.surveys.responses import ANSWERED
from app.surveys.results import held_back, min_group, number, percent_of


@dataclass(frozen=True)
class RateRow:
    label: str
    invited: int
    opened: int
    completed: int

    @property
    def rate(self) -> float:
        return percent_of(self.completed, self.invited)

    @property
    def opened_rate(self) -> float:
        return percent_of(self.opened, self.invited)

    @property
    def rate_text(self) -> str:
        return number(self.rate)

    @property
    def opened_rate_text(self) -> str:
        return number(self.opened_rate)


@dataclass(frozen=True)
class Stretch:
    """The answers that came in from `first` to `last` (days in the Netherlands): at least k of them, or, for the
    stretch still filling up, fewer (`count` None: not shown)."""

    first: date
    last: date
    count: int | None
    cumulative: int | None


@dataclass(frozen=True)
class ResponseRate:
    """Invitations (revoked ones left out), how many were opened and used; responses in all and through the
    public link; per sector of the invited companies (sectors with 1 to k-1 completed merged into one row), and
    over time in stretches of at least k answers."""

    total: RateRow
    sectors: list[RateRow]
    #: how many sectors were merged into the last row of `sectors` (or left out, when all of them were)
    merged_sectors: int
    over_time: list[Stretch]
    responses: int
    #: answers through personal links and through the public link; None for a group of 1 to k-1 (and then for the
    #: other too, which would give it away)
    via_personal_links: int | None
    via_public_link: int | None
    k: int


def _rate_sectors(per_sector: Mapping[str, list[int]], k: int) -> tuple[list[RateRow], int]:
    ordered = sorted(per_sector, key=lambda s: (s == "", s.lower()))
    held = held_back({sector: per_sector[sector][2] for sector in ordered}, k)
    merged = [sum(per_sector[sector][i] for sector in held) for i in range(3)]
    if held and merged[2] < k:
        # the sectors held back cannot make a group of k together: no breakdown at all
        return [], len(ordered)
    rows = [
        RateRow(sector_label(sector) if sector else _("Sector onbekend"), *per_sector[sector])
        for sector in ordered
        if sector not in held
    ]
    if held:
        rows.append(RateRow(_("Overige sectoren samen"), *merged))
    return rows, len(held)


def _over_time(survey: Survey, k: int) -> list[Stretch]:
    """Answers over time, from the audit log's record of each answer (the answers themselves carry no moment), in
    stretches of consecutive days with at least k answers each."""
    # by the park's index of the log: an index of its own would cost every answer one more write
    moments = db.session.scalars(
        select(AuditEvent.created_at).where(
            AuditEvent.park_id == survey.park_id,
            AuditEvent.action == ANSWERED,
            AuditEvent.subject_type == Survey.__tablename__,
            AuditEvent.subject_id == str(survey.id),
        )
    )
    per_day = Counter(local_day(moment) for moment in moments)
    stretches: list[Stretch] = []
    first, count, running = None, 0, 0
    for day in sorted(per_day):
        first = first or day
        count += per_day[day]
        if count >= k:
            running += count
            stretches.append(Stretch(first, day, count, running))
            first, count = None, 0
    if first is not None:
        stretches.append(Stretch(first, max(per_day), None, None))
    return stretches


def totals_of(survey_ids: list[int]) -> dict[int, RateRow]:
    """The total row of the response rate (invitations, opened, used; revoked ones left out) of each survey, in one
    statement, for lists across parks. Only these totals, as the survey's own page shows them: never a breakdown."""
    if not survey_ids:
        return {}
    opened = SurveyInvitation.status.in_((InvitationStatus.OPENED, InvitationStatus.USED))
    used = SurveyInvitation.status == InvitationStatus.USED
    query = (
        select(
            SurveyInvitation.survey_id,
            func.count(SurveyInvitation.id),
            func.coalesce(func.sum(case((opened, 1), else_=0)), 0),
            func.coalesce(func.sum(case((used, 1), else_=0)), 0),
        )
        .where(SurveyInvitation.survey_id.in_(survey_ids), SurveyInvitation.status != InvitationStatus.REVOKED)
        .group_by(SurveyInvitation.survey_id)
    )
    rows = {survey_id: (invited, seen, done) for survey_id, invited, seen, done in db.session.execute(query)}
    return {survey_id: RateRow(_("Totaal"), *rows.get(survey_id, (0, 0, 0))) for survey_id in survey_ids}


def response_rate(survey: Survey) -> ResponseRate:
    """The live response rate of the survey: counts of invitations only, never which company answered."""
    k = min_group()
    rows = db.session.execute(
        select(SurveyInvitation.status, SurveyInvitation.sector).where(
            SurveyInvitation.survey_id == survey.id, SurveyInvitation.status != InvitationStatus.REVOKED
        )
    ).all()
    per_sector: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for status, sector in rows:
        counts = per_sector[sector or ""]
        counts[0] += 1
        counts[1] += status in (InvitationStatus.OPENED, InvitationStatus.USED)
        counts[2] += status == InvitationStatus.USED
    total = RateRow(_("Totaal"), *(sum(counts[i] for counts in per_sector.values()) for i in range(3)))
    sectors, merged = _rate_sectors(per_sector, k)
    flags = list(
        db.session.scalars(select(SurveyResponse.via_public_link).where(SurveyResponse.survey_id == survey.id))
    )
    channels = {"personal": len(flags) - sum(flags), "public": sum(flags)}
    held = held_back(channels, k)
    return ResponseRate(
        total,
        sectors,
        merged,
        _over_time(survey, k),
        len(flags),
        None if "personal" in held else channels["personal"],
        None if "public" in held else channels["public"],
        k,
    )
