"""Camera health: the video system's report (uptime and recording gaps per camera and period) read from a CSV
file, the outages it records, what the health page shows, and the offline alerts of long outages.

Outages from an import, kept simple on purpose:
- every recording gap becomes a `CameraOutage` from its start to its end;
- a gap that runs to the end of the period while the uptime is below 100 % is still going on: it stays open
  (ended_at None) until a later import says when it ended;
- a camera's open outage from an earlier import continues when the next period's first gap starts at that
  period's start (the outage takes the gap's end, or stays open); otherwise the camera was back by the period's
  start and the outage ends there;
- a gap whose start a camera already has an outage for updates that outage (re-importing a file changes nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from flask import current_app
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.cameras.models import Camera, CameraHealth, CameraNetwork, CameraOutage, CameraStatus
from app.cameras.networks import ImportRefused
from app.clock import LOCAL_TIME
from app.errors import DomainError
from app.extensions import db
from app.imports import TableFormat, read_table
from app.parks.geometry import parse_decimal

#: the column headers the page and the messages name, in the user's language; the file may use either set
HEADERS_BY_LANGUAGE = {
    "nl": {"camera": "camera", "start": "van", "end": "tot", "uptime": "uptime", "gaps": "onderbrekingen"},
    "en": {"camera": "camera", "start": "start", "end": "end", "uptime": "uptime", "gaps": "gaps"},
}


class _Headers(Mapping[str, str]):
    """The headers of the user's language (Dutch when there is no request or the language has none)."""

    def _current(self) -> dict[str, str]:
        locale = get_locale()
        return HEADERS_BY_LANGUAGE.get(locale.language if locale else "nl", HEADERS_BY_LANGUAGE["nl"])

    def __getitem__(self, key: str) -> str:
        return self._current()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())


HEADERS: Mapping[str, str] = _Headers()
HEALTH_FORMAT = TableFormat(
    aliases={
        "camera": ("camera", "cameracode", "code"),
        "start": ("van", "begin", "start"),
        "end": ("tot", "einde", "eind", "end"),
        "uptime": ("uptime", "beschikbaarheid"),
        "gaps": ("onderbrekingen", "gaten", "gaps"),
    },
    required=("camera", "start", "end", "uptime"),
    headers=HEADERS,
)


def parse_moment(text: str) -> datetime:
    """An ISO date-time ("2026-03-01T10:00", "2026-03-01 10:00:00+01:00", "...Z"); naive means Dutch time.
    Returned in UTC. Raises DomainError."""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise DomainError(
            _("Het tijdstip %(text)s is ongeldig; schrijf bijvoorbeeld 2026-03-01T14:30.", text=text[:40])
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TIME)
    return moment.astimezone(UTC)


def parse_gaps(text: str) -> list[tuple[datetime, datetime]]:
    """Recording gaps: zero or more `start/end` intervals separated by `;` or `|`. Raises DomainError."""
    gaps = []
    for part in text.replace("|", ";").split(";"):
        if not part.strip():
            continue
        if part.count("/") != 1:
            raise DomainError(
                _("De onderbreking %(text)s is geen interval van de vorm begin/einde.", text=part.strip()[:60])
            )
        start, end = (parse_moment(piece) for piece in part.split("/"))
        if end <= start:
            raise DomainError(_("Een onderbreking eindigt niet na haar begin."))
        gaps.append((start, end))
    return sorted(gaps)


@dataclass(frozen=True)
class HealthRow:
    camera: Camera
    start: datetime
    end: datetime
    uptime: float
    gaps: list[tuple[datetime, datetime]]


def _check_row(record: dict[str, str], by_code: dict[str, Camera]) -> HealthRow:
    code = record.get("camera", "").strip()
    camera = by_code.get(code)
    if camera is None:
        raise DomainError(_("Het netwerk heeft geen camera met de code %(code)s.", code=code[:30] or "-"))
    start, end = parse_moment(record.get("start", "")), parse_moment(record.get("end", ""))
    if end <= start:
        raise DomainError(
            _(
                "De periode eindigt niet na haar begin (%(start)s moet vóór %(end)s liggen).",
                start=HEADERS["start"],
                end=HEADERS["end"],
            )
        )
    uptime = parse_decimal(record.get("uptime", "").strip().removesuffix("%").strip())
    if uptime is None or not 0 <= uptime <= 100:
        raise DomainError(_("De uptime is een percentage van 0 tot en met 100."))
    gaps = parse_gaps(record.get("gaps", ""))
    for gap_start, gap_end in gaps:
        if gap_start < start or gap_end > end:
            raise DomainError(_("Een onderbreking ligt niet binnen de periode."))
    for (_start, previous_end), (next_start, _end) in pairwise(gaps):
        if next_start < previous_end:
            raise DomainError(_("Twee onderbrekingen overlappen elkaar."))
    return HealthRow(camera, start, end, uptime, gaps)


@dataclass(frozen=True)
class HealthImportResult:
    periods: int
    outages: int


def _running_at(camera: Camera, moment: datetime) -> CameraOutage | None:
    """The camera's outage that began before `moment` and was still going on then (open, or ended at or after it)."""
    return db.session.scalar(
        select(CameraOutage)
        .where(
            CameraOutage.camera_id == camera.id,
            CameraOutage.started_at < moment,
            (CameraOutage.ended_at.is_(None)) | (CameraOutage.ended_at >= moment),
        )
        .order_by(CameraOutage.started_at.desc())
        .limit(1)
    )


def _record_outages(row: HealthRow) -> int:
    """Write the row's gaps as outages (see the module's docstring); returns how many gaps were recorded."""
    camera = row.camera
    gaps = list(row.gaps)
    still_open = row.uptime < 100
    earlier = _running_at(camera, row.start)
    if earlier is not None:
        if gaps and gaps[0][0] == row.start:  # the outage went on into this period
            _gap_start, gap_end = gaps.pop(0)
            earlier.ended_at = None if (gap_end == row.end and still_open) else gap_end
        elif earlier.ended_at is None:  # the camera was back by the period's start
            earlier.ended_at = row.start
    existing = {outage.started_at: outage for outage in camera.outages}
    for gap_start, gap_end in gaps:
        ended_at = None if (gap_end == row.end and still_open) else gap_end
        outage = existing.get(gap_start)
        if outage is None:
            outage = CameraOutage(camera=camera, started_at=gap_start)
            db.session.add(outage)
        outage.ended_at = ended_at
    db.session.flush()
    return len(row.gaps)


def import_health(actor: User, network: CameraNetwork, filename: str, data: bytes) -> HealthImportResult:
    """Import the video system's health report: per row a camera code of the network, the period (van < tot, ISO
    date-times, Dutch time when naive), the uptime (0-100, decimal comma allowed) and the recording gaps inside the
    period. Writes or updates the camera's `CameraHealth` for the period (gap minutes = the gaps' sum) and records
    the gaps as outages (see the module's docstring). All rows or none: when any row is refused it raises
    ImportRefused with (row number, message) per refused row, and the caller rolls back. Who: cameras.edit.
    Raises NotAllowed, or DomainError for a file that cannot be read. Audits `cameras.health_imported`."""
    ensure_can(actor, "cameras.edit", network.park)
    table = read_table(filename, data, HEALTH_FORMAT)
    return import_health_records(actor, network, table.records, source=filename)


def import_health_records(
    actor: User,
    network: CameraNetwork,
    records: Iterable[tuple[int, dict[str, str]]],
    *,
    source: str,
) -> HealthImportResult:
    """`import_health` for rows already read: (row number, {"camera", "start", "end", "uptime", "gaps"} as text)
    per row, as `read_table` gives them for a file and the API builds them from JSON. The same rules, all rows or
    none (ImportRefused names the refused rows by their number); `source` is the file's name in the audit row."""
    park = network.park
    ensure_can(actor, "cameras.edit", park)
    by_code = {camera.code: camera for camera in network.cameras}
    errors: list[tuple[int, str]] = []
    rows: list[HealthRow] = []
    seen: set[tuple[int, datetime]] = set()
    for row_number, record in records:
        try:
            row = _check_row(record, by_code)
        except DomainError as error:
            errors.append((row_number, error.message))
            continue
        if (row.camera.id, row.start) in seen:
            errors.append((row_number, _("Deze camera en periode staan twee keer in het bestand.")))
            continue
        seen.add((row.camera.id, row.start))
        rows.append(row)
    if errors:
        raise ImportRefused(errors)
    outages = 0
    for row in sorted(rows, key=lambda row: (row.camera.code, row.start)):
        health = db.session.scalar(
            select(CameraHealth).where(CameraHealth.camera_id == row.camera.id, CameraHealth.period_start == row.start)
        )
        if health is None:
            health = CameraHealth(camera=row.camera, period_start=row.start)
            db.session.add(health)
        health.period_end = row.end
        health.uptime_percent = row.uptime
        health.gap_minutes = round(sum((end - start).total_seconds() for start, end in row.gaps) / 60)
        db.session.flush()
        outages += _record_outages(row)
    audit.record(
        actor,
        "cameras.health_imported",
        network,
        park=park,
        details={"periods": len(rows), "outages": outages, "file": source[:255]},
    )
    db.session.flush()
    return HealthImportResult(len(rows), outages)


# -- what the page shows ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutageLine:
    started_at: datetime
    ended_at: datetime | None
    minutes: int


@dataclass(frozen=True)
class CameraHealthLine:
    camera: Camera
    latest: CameraHealth | None
    #: the latest uptime as the user's language writes it ("97,5")
    uptime: str
    outages: list[OutageLine]


def health_lines(network: CameraNetwork, *, now: datetime) -> list[CameraHealthLine]:
    """Per camera (by code): its latest reported period and its outages, newest first, with their duration in
    minutes (an open outage: until `now`)."""
    lines = []
    for camera in network.cameras:
        latest = db.session.scalar(
            select(CameraHealth)
            .where(CameraHealth.camera_id == camera.id)
            .order_by(CameraHealth.period_start.desc())
            .limit(1)
        )
        outages = [
            OutageLine(
                outage.started_at,
                outage.ended_at,
                max(0, round(((outage.ended_at or now) - outage.started_at).total_seconds() / 60)),
            )
            for outage in sorted(camera.outages, key=lambda outage: outage.started_at, reverse=True)
        ]
        uptime = format_decimal(round(latest.uptime_percent, 1)) if latest else ""
        lines.append(CameraHealthLine(camera, latest, uptime, outages))
    return lines


# -- offline alerts -------------------------------------------------------------------------------------------------


def alert_threshold() -> timedelta:
    return timedelta(hours=current_app.config["CAMERA_OFFLINE_ALERT_HOURS"])


def long_outages(now: datetime) -> list[CameraOutage]:
    """Outages still open (the camera is offline now) that began at least the threshold
    (CAMERA_OFFLINE_ALERT_HOURS) before `now`. An outage that has ended never alerts: the camera is back online, and
    a mail about it would only send someone out for nothing; shorter ones (blips) never alert either."""
    query = (
        select(CameraOutage)
        .where(CameraOutage.ended_at.is_(None), CameraOutage.started_at <= now - alert_threshold())
        .order_by(CameraOutage.id)
    )
    return list(db.session.scalars(query))


def still_offline(outage: CameraOutage) -> bool:
    """Whether the camera of `outage` is offline right now, as the database says at this moment: the outage is still
    open and the camera is not removed from the network."""
    db.session.refresh(outage)
    return outage.ended_at is None and outage.camera.status != CameraStatus.REMOVED
