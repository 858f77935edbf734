"""Inspection walks (schouw) of a park's cycle and what they found (step 3).

A walk has a date, a light (day or dark round), its participants and notes; each finding has a category, a
severity, a description, a suggested action and a point on the map in or near the park. A finding is resolved
or reopened, and one click turns it into an action of the cycle's plan. Photos: `inventory.photos`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.inventory.models import (
    Finding,
    FindingCategory,
    FindingStatus,
    Inspection,
    Light,
    Severity,
)
from app.parks.geometry import NL_BOUNDS, parse_decimal, within_metres
from app.parks.models import Cycle, CycleStatus, Park
from app.plans import quarters
from app.plans.models import PlanAction
from app.plans.services import add_from_finding, apply_changes, plan_for

PARTICIPANTS_MAX = 2_000
NOTES_MAX = 5_000
DESCRIPTION_MAX = 2_000
SUGGESTION_MAX = 2_000
EARLIEST = date(2000, 1, 1)
#: how far outside the park's boundary a finding may lie: the access roads and the edge count too
MARGIN_METRES = 250
COORDINATE_DECIMALS = 6  # about 10 cm


def park_of(inspection: Inspection) -> Park:
    return inspection.cycle.park


def ensure_open(cycle: Cycle) -> None:
    if cycle.status != CycleStatus.ACTIVE:
        raise DomainError(_("Deze cyclus is afgesloten: de schouw ligt vast."))


def ensure_editable(actor: User, cycle: Cycle) -> None:
    """NotAllowed unless the actor may edit the park's schouw (`inspections.edit`); DomainError in a closed cycle."""
    ensure_can(actor, "inspections.edit", cycle.park)
    ensure_open(cycle)


def inspections_of(cycle: Cycle) -> list[Inspection]:
    """The cycle's walks, newest first."""
    return list(
        db.session.scalars(
            select(Inspection)
            .where(Inspection.cycle_id == cycle.id)
            .order_by(Inspection.held_on.desc(), Inspection.id.desc())
        )
    )


# --- the walk ------------------------------------------------------------------------------------------------


def _clean_inspection(values: Mapping[str, Any], today: date) -> dict[str, Any]:
    held_on = values.get("held_on")
    if held_on is None:
        raise DomainError(_("Vul de datum van de schouw in."))
    if held_on > today:
        raise DomainError(_("De datum ligt in de toekomst. Leg een schouw vast nadat hij is gelopen."))
    if held_on < EARLIEST:
        raise DomainError(_("De datum ligt te ver in het verleden."))
    try:
        light = Light(values.get("light"))
    except ValueError:
        raise DomainError(_("Kies een ronde bij daglicht of in het donker.")) from None
    participants, notes = (values.get("participants") or "").strip(), (values.get("notes") or "").strip()
    if len(participants) > PARTICIPANTS_MAX:
        raise DomainError(_("De lijst van deelnemers is te lang (hoogstens %(n)s tekens).", n=PARTICIPANTS_MAX))
    if len(notes) > NOTES_MAX:
        raise DomainError(_("De notities zijn te lang (hoogstens %(n)s tekens).", n=NOTES_MAX))
    return {"held_on": held_on, "light": light, "participants": participants, "notes": notes}


def create_inspection(actor: User, cycle: Cycle, values: Mapping[str, Any], *, today: date) -> Inspection:
    """Record a walk in the park's active cycle (`inspections.edit`: managers, partners and entrepreneurs).

    `values`: held_on (a date), light (a Light or its value), participants and notes (optional texts). Refused
    (DomainError) in a closed cycle, without a date, for a date in the future (a walk is recorded after it was
    held) or before 2000, an unknown light, or texts that are too long.
    """
    ensure_editable(actor, cycle)
    clean = _clean_inspection(values, today)
    inspection = Inspection(cycle=cycle, created_by_id=actor.id, **clean)
    db.session.add(inspection)
    db.session.flush()
    _audit_saved(actor, inspection, created=True)
    db.session.flush()
    return inspection


def update_inspection(actor: User, inspection: Inspection, values: Mapping[str, Any], *, today: date) -> Inspection:
    """Correct a walk's date, light, participants or notes, with the rules of `create_inspection`."""
    ensure_editable(actor, inspection.cycle)
    changed = apply_changes(inspection, _clean_inspection(values, today))
    if changed:
        _audit_saved(actor, inspection, fields=changed)
    db.session.flush()
    return inspection


def _audit_saved(actor: User, inspection: Inspection, **details: Any) -> None:
    audit.record(
        actor,
        "inventory.inspection_saved",
        inspection,
        park=inspection.cycle.park,
        details={"held_on": inspection.held_on.isoformat(), "light": inspection.light.value, **details},
    )


def delete_inspection(actor: User, inspection: Inspection) -> list[str]:
    """Remove a walk with its findings and their photos (`inspections.edit`, open cycle). Actions made from its
    findings stay in the plan. Returns the stored names of the photo files, to remove after the commit."""
    cycle = inspection.cycle
    ensure_editable(actor, cycle)
    files = [photo.stored_name for finding in inspection.findings for photo in finding.photos]
    audit.record(
        actor,
        "inventory.inspection_deleted",
        inspection,
        park=cycle.park,
        details={"held_on": inspection.held_on.isoformat(), "findings": len(inspection.findings)},
    )
    db.session.delete(inspection)
    db.session.flush()
    return files


# --- a finding -----------------------------------------------------------------------------------------------


def check_point(park: Park, raw_lat: Any, raw_lon: Any) -> tuple[float | None, float | None]:
    """The finding's point from text (decimal point or comma): both empty is no point; otherwise both are
    numbers, in the Netherlands, and within 250 m of the park's area (any point in the Netherlands while the
    park has no area yet). Raises DomainError saying what is wrong."""
    lat_text, lon_text = str(raw_lat or "").strip(), str(raw_lon or "").strip()
    if not lat_text and not lon_text:
        return None, None
    if not lat_text or not lon_text:
        raise DomainError(_("Vul de breedtegraad en de lengtegraad allebei in, of geen van beide."))
    lat, lon = parse_decimal(lat_text), parse_decimal(lon_text)
    if lat is None or lon is None:
        raise DomainError(_("De coördinaten zijn geen getallen, zoals 52,1043 en 5,0712."))
    west, south, east, north = NL_BOUNDS
    if not (south <= lat <= north and west <= lon <= east):
        raise DomainError(_("Dit punt ligt niet in Nederland. Kies een plek op of bij het park."))
    if park.area is not None and not within_metres(park.area, lat, lon, MARGIN_METRES):
        raise DomainError(
            _("Dit punt ligt meer dan %(m)s meter buiten het park. Kies een plek op of bij het park.", m=MARGIN_METRES)
        )
    return round(lat, COORDINATE_DECIMALS), round(lon, COORDINATE_DECIMALS)


def _clean_finding(park: Park, values: Mapping[str, Any]) -> dict[str, Any]:
    try:
        category = FindingCategory(values.get("category"))
    except ValueError:
        raise DomainError(_("Kies een categorie.")) from None
    try:
        severity = Severity(values.get("severity"))
    except ValueError:
        raise DomainError(_("Kies hoe ernstig de bevinding is.")) from None
    description = (values.get("description") or "").strip()
    if not description:
        raise DomainError(_("Beschrijf wat er is gezien."))
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(_("De beschrijving is te lang (hoogstens %(n)s tekens).", n=DESCRIPTION_MAX))
    suggestion = (values.get("suggested_action") or "").strip()
    if len(suggestion) > SUGGESTION_MAX:
        raise DomainError(_("De voorgestelde actie is te lang (hoogstens %(n)s tekens).", n=SUGGESTION_MAX))
    lat, lon = check_point(park, values.get("lat"), values.get("lon"))
    return {
        "category": category,
        "severity": severity,
        "description": description,
        "suggested_action": suggestion,
        "lat": lat,
        "lon": lon,
    }


def add_finding(actor: User, inspection: Inspection, values: Mapping[str, Any]) -> Finding:
    """Add a finding to a walk (`inspections.edit`, open cycle).

    `values`: category and severity (their values), description (required), suggested_action, and lat/lon
    as text or numbers (see `check_point`). Raises DomainError saying what is wrong.
    """
    cycle = inspection.cycle
    ensure_editable(actor, cycle)
    clean = _clean_finding(cycle.park, values)
    finding = Finding(inspection=inspection, status=FindingStatus.OPEN, **clean)
    db.session.add(finding)
    db.session.flush()
    audit.record(
        actor,
        "inventory.finding_saved",
        finding,
        park=cycle.park,
        details={"category": clean["category"].value, "severity": clean["severity"].value, "created": True},
    )
    db.session.flush()
    return finding


def update_finding(actor: User, finding: Finding, values: Mapping[str, Any]) -> Finding:
    """Change a finding's fields, with the rules of `add_finding`."""
    cycle = finding.inspection.cycle
    ensure_editable(actor, cycle)
    clean = _clean_finding(cycle.park, values)
    changed = apply_changes(finding, clean)
    if changed:
        audit.record(
            actor,
            "inventory.finding_saved",
            finding,
            park=cycle.park,
            details={"category": finding.category.value, "fields": changed},
        )
    db.session.flush()
    return finding


def set_status(actor: User, finding: Finding, status: FindingStatus | str, *, today: date) -> Finding:
    """Mark a finding resolved (on `today`) or open again (`inspections.edit`, open cycle)."""
    cycle = finding.inspection.cycle
    ensure_editable(actor, cycle)
    try:
        status = FindingStatus(status)
    except ValueError:
        raise DomainError(_("Kies open of opgelost.")) from None
    if finding.status == status:
        return finding
    finding.status = status
    finding.resolved_on = today if status == FindingStatus.RESOLVED else None
    audit.record(
        actor,
        "inventory.finding_resolved" if status == FindingStatus.RESOLVED else "inventory.finding_reopened",
        finding,
        park=cycle.park,
        details={"category": finding.category.value},
    )
    db.session.flush()
    return finding


def delete_finding(actor: User, finding: Finding) -> list[str]:
    """Remove a finding with its photos (`inspections.edit`, open cycle); an action made from it stays in the
    plan. Returns the stored names of the photo files, to remove after the commit."""
    cycle = finding.inspection.cycle
    ensure_editable(actor, cycle)
    files = [photo.stored_name for photo in finding.photos]
    audit.record(
        actor,
        "inventory.finding_deleted",
        finding,
        park=cycle.park,
        details={"category": finding.category.value, "description": finding.description[:200]},
    )
    finding.inspection.findings.remove(finding)
    db.session.delete(finding)
    db.session.flush()
    return files


# --- from finding to action ----------------------------------------------------------------------------------


def action_of(finding: Finding) -> PlanAction | None:
    """The plan action made from this finding, if any."""
    return db.session.scalar(select(PlanAction).where(PlanAction.finding_id == finding.id).limit(1))


def actions_of(findings: list[Finding]) -> dict[int, PlanAction]:
    """finding id -> the plan action made from it, for the findings that have one."""
    if not findings:
        return {}
    query = select(PlanAction).where(PlanAction.finding_id.in_([f.id for f in findings])).order_by(PlanAction.id)
    actions: dict[int, PlanAction] = {}
    for action in db.session.scalars(query):
        actions.setdefault(action.finding_id, action)
    return actions


def make_action(actor: User, finding: Finding, *, today: date) -> PlanAction:
    """Turn a finding into an action of the cycle's plan (made when the cycle has none yet), with one click.

    `plans.edit` (advisors and the municipality). The action is made by `plans.services.add_from_finding` (title,
    description and theme from the finding) in the plan quarter that holds `today` (the first when today lies
    outside the plan). Refused (DomainError) when an action was made from this finding before, for a resolved
    finding, or in a closed cycle.
    """
    cycle = finding.inspection.cycle
    ensure_can(actor, "plans.edit", cycle.park)
    ensure_open(cycle)
    plan = plan_for(cycle, today=today, actor=actor)
    return add_from_finding(actor, plan, finding, quarter=quarters.number_on(plan.starts_on, today) or 1)
