"""A park's camera network and its cameras: the rules for saving them, the summary everyone on the park sees,
the public register, and the camera list as CSV (export, and an import that writes all rows or none)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.cameras.models import MAX_RETENTION_DAYS, Camera, CameraNetwork, CameraStatus, CameraType
from app.errors import DomainError
from app.extensions import db
from app.imports import TableFormat, csv_bytes, read_table
from app.parks.geometry import NL_BOUNDS, parse_decimal, within_metres
from app.parks.models import Park
from app.stakeholders.models import Organisation

#: how far outside the park's boundary a camera may stand: on the access roads at the edge
MARGIN_METRES = 50
COORDINATE_DECIMALS = 6  # about 10 cm
EARLIEST = date(1990, 1, 1)

NETWORK_TEXTS = {
    "name": 200,
    "owner_name": 200,
    "operator_contact": 200,
    "monitoring_party": 200,
    "funding": 300,
    "purpose": 5_000,
    "public_contact": 300,
}


def network_of(park: Park) -> CameraNetwork | None:
    return db.session.scalar(select(CameraNetwork).where(CameraNetwork.park_id == park.id))


def _text(values: Mapping[str, Any], name: str, limit: int) -> str:
    text = str(values.get(name) or "").strip()
    if len(text) > limit:
        raise DomainError(_("Een tekst is te lang (hoogstens %(n)s tekens).", n=limit))
    return text


def _optional(values: Mapping[str, Any], name: str, limit: int) -> str | None:
    return _text(values, name, limit) or None


def _integer(raw: Any, message: str) -> int:
    if isinstance(raw, bool):
        raise DomainError(message)
    if isinstance(raw, int):
        return raw
    text = str(raw or "").strip()
    if not text.lstrip("-").isdigit():
        raise DomainError(message)
    return int(text)


def check_retention(raw: Any) -> int:
    """The retention period in days: a whole number from 1 to MAX_RETENTION_DAYS (28, the AP guideline)."""
    days = _integer(raw, _("Vul de bewaartermijn in als een heel aantal dagen."))
    if days > MAX_RETENTION_DAYS:
        raise DomainError(
            _(
                "Beelden mogen hoogstens %(n)s dagen worden bewaard (richtlijn van de Autoriteit Persoonsgegevens). "
                "Alleen beelden die voor een strafzaak zijn veiliggesteld, mogen langer blijven.",
                n=MAX_RETENTION_DAYS,
            )
        )
    if days < 1:
        raise DomainError(_("De bewaartermijn is minstens 1 dag."))
    return days


def _network_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {name: _text(values, name, limit) for name, limit in NETWORK_TEXTS.items()}
    if not fields["name"]:
        raise DomainError(_("Geef het cameranetwerk een naam."))
    fields["operator_email"] = _optional(values, "operator_email", 254)
    fields["operator_phone"] = _optional(values, "operator_phone", 30)
    fields["retention_days"] = check_retention(values.get("retention_days"))
    interval = _integer(
        values.get("check_interval_months"), _("Vul de controletermijn in als een heel aantal maanden.")
    )
    if not 1 <= interval <= 12:
        raise DomainError(_("Een kwaliteitscontrole is minstens eens per 12 maanden en hoogstens elke maand."))
    fields["check_interval_months"] = interval
    starts, ends = values.get("contract_starts_on"), values.get("contract_ends_on")
    if starts is not None and ends is not None and ends < starts:
        raise DomainError(_("Het contract eindigt vóór het begint. Controleer de datums."))
    fields["contract_starts_on"], fields["contract_ends_on"] = starts, ends
    operator_id = values.get("operator_id")
    if operator_id:
        if db.session.get(Organisation, operator_id) is None:
            raise DomainError(_("Deze organisatie bestaat niet (meer). Kies een andere beheerder."))
        fields["operator_id"] = operator_id
    else:
        fields["operator_id"] = None
    return fields


def save_network(actor: User, park: Park, values: Mapping[str, Any]) -> CameraNetwork:
    """Create the park's camera network (one per park) or update it.

    Rules: a name is required; retention 1..28 days; the quality-check interval 1..12 months; the contract does
    not end before it starts; the operator is an existing organisation. Who: cameras.edit on the park (camera
    officer, municipality). Raises NotAllowed or DomainError; audits `cameras.network_saved`.
    """
    ensure_can(actor, "cameras.edit", park)
    fields = _network_fields(values)
    network = network_of(park)
    created = network is None
    if network is None:
        network = CameraNetwork(park=park)
        db.session.add(network)
    changed = sorted(name for name, value in fields.items() if getattr(network, name) != value)
    for name, value in fields.items():
        setattr(network, name, value)
    db.session.flush()
    audit.record(actor, "cameras.network_saved", network, park=park, details={"created": created, "changed": changed})
    db.session.flush()
    return network


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float


def check_position(park: Park, raw_lat: Any, raw_lon: Any) -> Position:
    """A camera's position from text (decimal point or comma): both numbers, in the Netherlands, and inside the
    park's area or at most 50 m outside it (any point in the Netherlands while the park has no area yet)."""
    lat, lon = parse_decimal(raw_lat), parse_decimal(raw_lon)
    if lat is None or lon is None:
        raise DomainError(_("Kies de plek van de camera op de kaart, of vul breedtegraad en lengtegraad in."))
    west, south, east, north = NL_BOUNDS
    if not (south <= lat <= north and west <= lon <= east):
        raise DomainError(_("Deze plek ligt niet in Nederland. Kies een plek op het park."))
    if park.area is not None and not within_metres(park.area, lat, lon, MARGIN_METRES):
        raise DomainError(
            _(
                "Deze plek ligt meer dan %(m)s meter buiten het park. Een camera van het netwerk staat op het park "
                "of direct aan de rand ervan.",
                m=MARGIN_METRES,
            )
        )
    return Position(round(lat, COORDINATE_DECIMALS), round(lon, COORDINATE_DECIMALS))


def _camera_fields(network: CameraNetwork, values: Mapping[str, Any], camera: Camera | None) -> dict[str, Any]:
    code = _text(values, "code", 30)
    if not code:
        raise DomainError(_("Geef de camera een code, zoals C01."))
    clash = db.session.scalar(
        select(Camera.id).where(
            Camera.network_id == network.id, Camera.code == code, Camera.id != (camera.id if camera else -1)
        )
    )
    if clash is not None:
        raise DomainError(_("Er is al een camera met de code %(code)s in dit netwerk.", code=code))
    try:
        camera_type = CameraType(values.get("type"))
    except ValueError:
        raise DomainError(_("Kies het soort camera.")) from None
    position = check_position(network.park, values.get("lat"), values.get("lon"))
    raw_direction = values.get("direction")
    direction = None
    if raw_direction not in (None, ""):
        direction = _integer(raw_direction, _("De kijkrichting is een heel aantal graden van 0 tot en met 359."))
        if not 0 <= direction <= 359:
            raise DomainError(_("De kijkrichting is een heel aantal graden van 0 tot en met 359."))
    fields: dict[str, Any] = {
        "code": code,
        "type": camera_type,
        "lat": position.lat,
        "lon": position.lon,
        "direction": direction,
        "coverage_note": _text(values, "coverage_note", 300),
    }
    for name in ("installed_on", "last_maintenance_on"):
        day = values.get(name)
        if day is not None and not isinstance(day, date):
            raise DomainError(_("Een datum is ongeldig."))
        if day is not None and day < EARLIEST:
            raise DomainError(_("Een datum ligt te ver in het verleden."))
        fields[name] = day
    return fields


def save_camera(
    actor: User, network: CameraNetwork, values: Mapping[str, Any], *, camera: Camera | None = None
) -> Camera:
    """Add a camera to the network (camera None) or update one of its cameras.

    Rules: the code is unique within the network; a type; the position lies in the park or within 50 m of its
    boundary; the direction is 0..359 or empty. Who: cameras.edit on the park. Raises NotAllowed or DomainError;
    audits `cameras.camera_added` or `cameras.camera_saved`.
    """
    park = network.park
    ensure_can(actor, "cameras.edit", park)
    if camera is not None and camera.network_id != network.id:
        raise DomainError(_("Deze camera hoort niet bij dit netwerk."))
    fields = _camera_fields(network, values, camera)
    created = camera is None
    if camera is None:
        camera = Camera(network=network, status=CameraStatus.ACTIVE)
        db.session.add(camera)
    changed = sorted(name for name, value in fields.items() if getattr(camera, name) != value)
    for name, value in fields.items():
        setattr(camera, name, value)
    db.session.flush()
    action = "cameras.camera_added" if created else "cameras.camera_saved"
    audit.record(actor, action, camera, park=park, details={"code": camera.code, "changed": changed})
    db.session.flush()
    return camera


def set_camera_status(actor: User, camera: Camera, status: CameraStatus, *, today: date) -> Camera:
    """Mark a camera active, defect or removed; removed records `removed_on` (today), any other status clears it.
    The camera stays in the list (its checks and footage log refer to it). Who: cameras.edit. Audits
    `cameras.camera_status`."""
    park = camera.network.park
    ensure_can(actor, "cameras.edit", park)
    if camera.status == status:
        raise DomainError(_("De camera heeft deze status al."))
    before = camera.status
    camera.status = status
    camera.removed_on = today if status == CameraStatus.REMOVED else None
    db.session.flush()
    audit.record(
        actor,
        "cameras.camera_status",
        camera,
        park=park,
        details={"code": camera.code, "from": before.value, "to": status.value},
    )
    db.session.flush()
    return camera


# -- what is shown ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    network: CameraNetwork | None
    active: int
    by_type: list[tuple[str, int]]


def summary(park: Park) -> Summary:
    """What everyone on the park sees: the number of active cameras by type, and the network's key facts."""
    network = network_of(park)
    if network is None:
        return Summary(None, 0, [])
    counts = Counter(camera.type for camera in network.cameras if camera.status == CameraStatus.ACTIVE)
    by_type = [(str(kind.label), counts[kind]) for kind in CameraType if counts[kind]]
    return Summary(network, sum(counts.values()), by_type)


@dataclass(frozen=True)
class RegisterEntry:
    park_name: str
    municipality: str
    cameras: int
    owner: str
    purpose: str
    retention_days: int
    public_contact: str


def public_register() -> list[RegisterEntry]:
    """Per park with a network that has at least one camera in use: the facts the public may know. Never positions,
    codes or the monitoring party's contact details."""
    entries = []
    for network in db.session.scalars(select(CameraNetwork)):
        in_use = sum(1 for camera in network.cameras if camera.status != CameraStatus.REMOVED)
        if not in_use:
            continue
        entries.append(
            RegisterEntry(
                park_name=network.park.name,
                municipality=network.park.municipality.name if network.park.municipality else "",
                cameras=in_use,
                owner=network.owner_name or network.name,
                purpose=network.purpose,
                retention_days=network.retention_days,
                public_contact=network.public_contact,
            )
        )
    return sorted(entries, key=lambda entry: (entry.municipality, entry.park_name))


# -- CSV --------------------------------------------------------------------------------------------------------

CSV_FIELDS = ("code", "type", "lat", "lon", "direction", "coverage_note", "installed_on", "last_maintenance_on")
CSV_HEADERS = {
    "code": "Code",
    "type": "Soort",
    "lat": "Breedtegraad",
    "lon": "Lengtegraad",
    "direction": "Kijkrichting",
    "coverage_note": "Bereik",
    "installed_on": "Geplaatst op",
    "last_maintenance_on": "Laatste onderhoud",
    "status": "Status",
}
CAMERA_FORMAT = TableFormat(
    aliases={
        "code": ("Code", "Cameracode"),
        "type": ("Soort", "Type"),
        "lat": ("Breedtegraad", "Lat", "Latitude"),
        "lon": ("Lengtegraad", "Lon", "Lng", "Longitude"),
        "direction": ("Kijkrichting", "Richting"),
        "coverage_note": ("Bereik", "Dekking", "Beschrijving"),
        "installed_on": ("Geplaatst op", "Geplaatst"),
        "last_maintenance_on": ("Laatste onderhoud", "Onderhoud"),
    },
    required=("code", "type", "lat", "lon"),
    headers={name: CSV_HEADERS[name] for name in CSV_FIELDS},
)


def export_csv(network: CameraNetwork) -> bytes:
    """The camera list as CSV (semicolons, UTF-8 with BOM), read back by `import_csv`."""
    rows = [
        [
            camera.code,
            str(camera.type.label),
            f"{camera.lat:.6f}",
            f"{camera.lon:.6f}",
            "" if camera.direction is None else camera.direction,
            camera.coverage_note,
            camera.installed_on.isoformat() if camera.installed_on else "",
            camera.last_maintenance_on.isoformat() if camera.last_maintenance_on else "",
            str(camera.status.label),
        ]
        for camera in network.cameras
    ]
    return csv_bytes([CSV_HEADERS[name] for name in (*CSV_FIELDS, "status")], rows)


def _type_of(text: str) -> str | None:
    key = text.strip().lower()
    for kind in CameraType:
        if key in (kind.value, str(kind.label).lower(), kind.name.lower()):
            return kind.value
    return None


def _date_of(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d-%m-%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    raise DomainError(_("De datum %(text)s is ongeldig; schrijf bijvoorbeeld 2026-03-01 of 01-03-2026.", text=text))


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


class ImportRefused(DomainError):
    """Some rows of an import were refused: `errors` holds (row number, message) per row; nothing is written."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(
            ngettext(
                "%(num)s regel van het bestand is geweigerd; er is niets ingelezen.",
                "%(num)s regels van het bestand zijn geweigerd; er is niets ingelezen.",
                len(errors),
            )
        )
        self.errors = errors


def import_csv(actor: User, network: CameraNetwork, filename: str, data: bytes) -> ImportResult:
    """Import a camera list: a row whose code the network has updates that camera, any other row adds one. Every
    row is checked as `save_camera` checks a form; when any row is refused it raises ImportRefused with (row
    number, message) per refused row, and the caller rolls back so that nothing is written. Who: cameras.edit.
    Raises NotAllowed, or DomainError for a file that cannot be read. Audits each camera as `save_camera` does,
    and `cameras.imported`."""
    park = network.park
    ensure_can(actor, "cameras.edit", park)
    table = read_table(filename, data, CAMERA_FORMAT)
    by_code = {camera.code: camera for camera in network.cameras}
    errors: list[tuple[int, str]] = []
    seen: set[str] = set()
    added = updated = 0
    for row_number, record in table.records:
        code = record.get("code", "").strip()
        if code in seen:
            errors.append((row_number, _("De code %(code)s staat twee keer in het bestand.", code=code)))
            continue
        seen.add(code)
        try:
            values: dict[str, Any] = dict(record)
            values["type"] = _type_of(record.get("type", "")) or ""
            values["installed_on"] = _date_of(record.get("installed_on", ""))
            values["last_maintenance_on"] = _date_of(record.get("last_maintenance_on", ""))
            existing = by_code.get(code)
            with db.session.begin_nested():
                save_camera(actor, network, values, camera=existing)
        except DomainError as error:
            errors.append((row_number, error.message))
            continue
        if existing is None:
            added += 1
        else:
            updated += 1
    if errors:
        raise ImportRefused(errors)
    audit.record(actor, "cameras.imported", network, park=park, details={"added": added, "updated": updated})
    db.session.flush()
    return ImportResult(added, updated)
