"""The gebiedsscan (step 3): every stakeholder of the park's active cycle names its top 3 of phenomena on the
park, each with a short explanation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can, may_write_scan
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.inventory.models import ScanEntry
from app.parks.models import Cycle, CycleStatus
from app.stakeholders.models import PpsRole, Stakeholder

TOP = 3
PHENOMENON_MAX = 200
EXPLANATION_MAX = 1_000


def entries_of(stakeholder: Stakeholder) -> list[ScanEntry]:
    return list(
        db.session.scalars(select(ScanEntry).where(ScanEntry.stakeholder_id == stakeholder.id).order_by(ScanEntry.rank))
    )


def save_scan(actor: User, stakeholder: Stakeholder, rows: Sequence[tuple[str, str]]) -> list[ScanEntry]:
    """Replace a stakeholder's top 3 with `rows` (phenomenon, explanation), in order of importance.

    Who may: see `may_write_scan` (NotAllowed otherwise). Empty rows are left out and the others ranked 1..n without
    gaps, so clearing a row clears that rank. Refused (DomainError) in a closed cycle, for more than three rows,
    an explanation without its phenomenon, the same phenomenon twice, or a text that is too long. Returns the
    entries as saved.
    """
    cycle = stakeholder.cycle
    ensure_can(actor, "scan.edit", cycle.park)
    if cycle.status != CycleStatus.ACTIVE:
        raise DomainError(_("Deze cyclus is afgesloten: de gebiedsscan ligt vast."))
    if not may_write_scan(actor, stakeholder):
        raise NotAllowed(_("U kunt alleen de gebiedsscan van uw eigen organisatie invullen."))
    clean = _clean_rows(rows)
    entries = entries_of(stakeholder)
    before = [(e.phenomenon, e.explanation) for e in entries]
    if before == clean:
        return entries
    for rank, (phenomenon, explanation) in enumerate(clean, start=1):
        if rank <= len(entries):
            entry = entries[rank - 1]
            entry.phenomenon, entry.explanation, entry.updated_by_id = phenomenon, explanation, actor.id
        else:
            db.session.add(
                ScanEntry(
                    stakeholder=stakeholder,
                    rank=rank,
                    phenomenon=phenomenon,
                    explanation=explanation,
                    updated_by_id=actor.id,
                )
            )
    for entry in entries[len(clean) :]:
        db.session.delete(entry)
    db.session.flush()
    audit.record(
        actor,
        "inventory.scan_saved",
        stakeholder,
        park=cycle.park,
        details={"organisation": stakeholder.organisation.name, "phenomena": [p for p, _e in clean]},
    )
    db.session.flush()
    return entries_of(stakeholder)


def _clean_rows(rows: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    clean: list[tuple[str, str]] = []
    for number, (raw_phenomenon, raw_explanation) in enumerate(rows, start=1):
        phenomenon = " ".join((raw_phenomenon or "").split())
        explanation = (raw_explanation or "").strip()
        if not phenomenon:
            if explanation:
                raise DomainError(
                    _("Vul bij nummer %(n)s ook het verschijnsel in, of maak de toelichting leeg.", n=number)
                )
            continue
        if len(phenomenon) > PHENOMENON_MAX:
            raise DomainError(_("Het verschijnsel is te lang (hoogstens %(n)s tekens).", n=PHENOMENON_MAX))
        if len(explanation) > EXPLANATION_MAX:
            raise DomainError(_("De toelichting is te lang (hoogstens %(n)s tekens).", n=EXPLANATION_MAX))
        if any(phenomenon.casefold() == other.casefold() for other, _e in clean):
            raise DomainError(_("%(phenomenon)s staat twee keer in de top 3.", phenomenon=phenomenon))
        clean.append((phenomenon, explanation))
    if len(clean) > TOP:
        raise DomainError(_("Een top 3 heeft hoogstens drie verschijnselen."))
    return clean


@dataclass(frozen=True)
class StakeholderScan:
    stakeholder: Stakeholder
    entries: list[ScanEntry]
    #: the process adviser guides the scan and brings no picture of the area of its own (step 3's criterion)
    counts: bool

    @property
    def complete(self) -> bool:
        return len(self.entries) >= TOP


def overview(cycle: Cycle) -> list[StakeholderScan]:
    """Every stakeholder of the cycle with its top 3, in the order of the stakeholder list (role, then name)."""
    order = list(PpsRole)
    stakeholders = sorted(cycle.stakeholders, key=lambda s: (order.index(s.role), s.organisation.name.lower()))
    entries: dict[int, list[ScanEntry]] = {s.id: [] for s in stakeholders}
    query = select(ScanEntry).where(ScanEntry.stakeholder_id.in_(list(entries))).order_by(ScanEntry.rank)
    for entry in db.session.scalars(query):
        entries[entry.stakeholder_id].append(entry)
    return [StakeholderScan(s, entries[s.id], s.role != PpsRole.ADVIES) for s in stakeholders]
