"""Quality checks of a park's camera network (design §3, domain notes (d)): the check template, planning the next
check, recording one on site, and turning major findings into actions in the park's plan."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, images, uploads
from app.auth.models import User
from app.auth.policy import ensure_can
from app.cameras.findings import label_of, place_finding
from app.cameras.models import (
    CameraNetwork,
    CameraStatus,
    CameraType,
    CheckScore,
    FindingPlanState,
    QualityCheck,
    Score,
)
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Park

NOTE_MAX = 2_000
REMARKS_MAX = 5_000
ANPR_KEY = "anpr_read_rate"
PHOTO_FOLDER = "checks"

#: the check template: (key, label) per criterion, in the order the form asks them
CRITERIA: tuple[tuple[str, object], ...] = (
    ("image_day", _l("Beeldkwaliteit overdag")),
    ("image_night", _l("Beeldkwaliteit 's nachts")),
    ("uptime", _l("Beschikbaarheid (uptime) over de periode")),
    ("coverage", _l("Dekking zoals bedoeld")),
    ("masking", _l("Privacymaskering aanwezig")),
    ("signage", _l("Bebording aanwezig")),
    ("retention", _l("Bewaartermijn daadwerkelijk gehandhaafd")),
    ("alarm_follow_up", _l("Opvolgtijd van alarmen")),
    (ANPR_KEY, _l("Leesgraad kentekens (ANPR)")),
)


def has_anpr(network: CameraNetwork | None) -> bool:
    """Whether the network has a number-plate camera that is not removed."""
    return network is not None and any(
        c.type == CameraType.ANPR and c.status != CameraStatus.REMOVED for c in network.cameras
    )


def template_for(network: CameraNetwork | None) -> list[dict[str, str]]:
    """The criteria a check of this network scores: [{"key", "label"}], labels in Dutch (stored with the check).
    The ANPR read rate only when the network has an ANPR camera."""
    with force_locale("nl"):
        return [{"key": key, "label": str(label)} for key, label in CRITERIA if key != ANPR_KEY or has_anpr(network)]


def criterion_label(key: str, stored: str = "") -> str:
    """A criterion's label in the user's language: the template's label for its key, else the label stored with the
    check (a criterion the template no longer has)."""
    return next((str(label) for k, label in CRITERIA if k == key), stored or key)


def criteria_shown(check: QualityCheck) -> list[dict[str, str]]:
    """The check's criteria ({"key", "label"}) with their labels in the user's language, in the check's order."""
    return [{"key": c["key"], "label": criterion_label(c["key"], c["label"])} for c in check.criteria]


def shown_label(check: QualityCheck, key: str) -> str:
    return criterion_label(key, label_of(check, key))


def network_of(park: Park) -> CameraNetwork | None:
    return db.session.scalar(select(CameraNetwork).where(CameraNetwork.park_id == park.id))


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months; the 31st becomes the month's last day when the month is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def done_checks(network: CameraNetwork) -> list[QualityCheck]:
    """The network's done checks, newest first."""
    return list(
        db.session.scalars(
            select(QualityCheck)
            .where(QualityCheck.network_id == network.id, QualityCheck.done_on.is_not(None))
            .order_by(QualityCheck.done_on.desc(), QualityCheck.id.desc())
        )
    )


def planned_check(network: CameraNetwork) -> QualityCheck | None:
    """The network's check that is planned and not done yet (at most one)."""
    return db.session.scalar(
        select(QualityCheck)
        .where(QualityCheck.network_id == network.id, QualityCheck.done_on.is_(None))
        .order_by(QualityCheck.due_on, QualityCheck.id)
    )


def next_due(network: CameraNetwork, *, today: date) -> date:
    """When the next check is due: the last done check plus the network's interval, or `today` when none was done."""
    done = done_checks(network)
    if not done or done[0].done_on is None:
        return today
    return add_months(done[0].done_on, network.check_interval_months)


def plan_check(network: CameraNetwork, *, due_on: date) -> QualityCheck:
    """Plan a check of the network for `due_on` with the template as it is now. A network has at most one
    planned check: the planned one is returned (unchanged) when there is one. No audit row: a plan is no finding."""
    existing = planned_check(network)
    if existing is not None:
        return existing
    check = QualityCheck(network=network, due_on=due_on, criteria=template_for(network))
    db.session.add(check)
    db.session.flush()
    return check


def open_check(network: CameraNetwork, *, today: date) -> QualityCheck:
    """The check to do now: the planned one, or one planned at `next_due`."""
    return plan_check(network, due_on=next_due(network, today=today))


DUE_SOON_DAYS = 7


def due_status(due_on: date, *, today: date) -> str:
    """ "overdue" before today, "due" within DUE_SOON_DAYS, else "planned"."""
    if due_on < today:
        return "overdue"
    if (due_on - today).days <= DUE_SOON_DAYS:
        return "due"
    return "planned"


def status_of(check: QualityCheck, *, today: date) -> str:
    return "done" if check.done_on is not None else due_status(check.due_on, today=today)


# Recording a check ------------------------------------------------------------------------------------------


def _clean_photos(check: QualityCheck, photos: Mapping[str, bytes]) -> dict[str, bytes]:
    """The photos per criterion, each checked and re-encoded by `images.clean_image`; empty uploads are left out."""
    cleaned = {}
    keys = {c["key"] for c in check.criteria}
    for key, data in photos.items():
        if not data:
            continue
        if key not in keys:
            raise DomainError(_("Deze controle kent het criterium %(key)s niet.", key=key))
        try:
            cleaned[key], _width, _height = images.clean_image(data)
        except DomainError as error:
            raise DomainError(
                _("Foto bij %(label)s: %(message)s", label=shown_label(check, key), message=error.message)
            ) from None
    return cleaned


def record_check(
    actor: User,
    check: QualityCheck,
    scores: Mapping[str, tuple[Score, str]],
    *,
    remarks: str = "",
    photos: Mapping[str, bytes] | None = None,
    today: date,
) -> QualityCheck:
    """Record a done check: a score and a note for every criterion of the check, optionally a photo per criterion,
    and remarks.

    The camera officer (`cameras.checks`). Every criterion must be scored, and a major finding needs a note; each
    major finding becomes an action (theme "veilig", this quarter of the plan, owned by the network's operator when
    it is a stakeholder) in the plan of the park's active cycle, or waits for that plan when there is none yet
    (`findings.place_finding`; the audit row names the queued criteria). A photo is checked and stripped of its
    metadata as an inspection photo is, and stored under checks/ in the app's storage. Raises DomainError for a check
    that is done already, a missing score or note, an unknown criterion or a file that is no photo; nothing is
    written then. The caller commits, and removes the stored photos (`remove_photos` with
    `stored_photos`) when the commit fails.
    """
    network = check.network
    ensure_can(actor, "cameras.checks", network.park)
    if check.done_on is not None:
        raise DomainError(_("Deze controle is al uitgevoerd."))
    keys = [c["key"] for c in check.criteria]
    unknown = set(scores) - set(keys)
    if unknown:
        raise DomainError(_("Deze controle kent het criterium %(key)s niet.", key=sorted(unknown)[0]))
    missing = [shown_label(check, key) for key in keys if key not in scores or scores[key][0] is None]
    if missing:
        raise DomainError(_("Geef elk criterium een score; nog open: %(labels)s.", labels=", ".join(missing)))
    cleaned: dict[str, tuple[Score, str]] = {}
    for key in keys:
        score, note = scores[key]
        if not isinstance(score, Score):
            raise DomainError(_("Kies een geldige score."))
        note = (note or "").strip()
        if len(note) > NOTE_MAX:
            raise DomainError(_("Een toelichting is te lang (hoogstens %(n)s tekens).", n=NOTE_MAX))
        if score == Score.MAJOR and not note:
            raise DomainError(
                _("Beschrijf de grote afwijking bij %(label)s: zij wordt een actie.", label=shown_label(check, key))
            )
        cleaned[key] = (score, note)
    remarks = (remarks or "").strip()
    if len(remarks) > REMARKS_MAX:
        raise DomainError(_("De opmerkingen zijn te lang (hoogstens %(n)s tekens).", n=REMARKS_MAX))
    jpegs = _clean_photos(check, photos or {})

    stored = {key: uploads.store(PHOTO_FOLDER, images.SUFFIX, jpeg) for key, jpeg in jpegs.items()}
    try:
        check.done_on, check.checker_id, check.remarks = today, actor.id, remarks
        check.scores = [
            CheckScore(criterion=key, score=score, note=note, photo_name=stored.get(key))
            for key, (score, note) in cleaned.items()
        ]
        db.session.flush()
        for score in check.scores:
            if score.score == Score.MAJOR:
                place_finding(actor, score, today=today)
        audit.record(
            actor,
            "cameras.check_done",
            check,
            park=network.park,
            details={
                "due_on": check.due_on.isoformat(),
                "done_on": today.isoformat(),
                "major": sum(s.score == Score.MAJOR for s in check.scores),
                "minor": sum(s.score == Score.MINOR for s in check.scores),
                "actions": [s.action_id for s in check.scores if s.action_id],
                "queued": [s.criterion for s in check.scores if s.plan_state == FindingPlanState.QUEUED],
                "photos": sorted(stored),
            },
        )
        db.session.flush()
    except BaseException:
        remove_photos(list(stored.values()))
        raise
    return check


def photo(score: CheckScore) -> bytes | None:
    """A score's photo; None without one (or when it is gone, or for a name that is not one of ours)."""
    return uploads.read(PHOTO_FOLDER, score.photo_name, images.SUFFIX)


def stored_photos(check: QualityCheck) -> list[str]:
    """The stored names of a check's photos, taken before the commit: a rollback forgets the scores."""
    return [score.photo_name for score in check.scores if score.photo_name]


def remove_photos(stored_names: list[str]) -> None:
    """Remove stored photos of a check whose recording was not committed."""
    uploads.remove_files(PHOTO_FOLDER, stored_names, images.SUFFIX)
