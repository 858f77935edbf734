"""The company register of a park: the rules for a company's fields, editing, companies outside the area,
importing a CSV or Excel file through a preview, and exporting the register."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, imports
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.imports import CREATE, REJECT, UNCHANGED, UPDATE, ImportKind, TableFormat, csv_bytes, read_table, xlsx_bytes
from app.parks.geometry import NL_BOUNDS, point_test
from app.parks.models import Company, CompanyImport, Park


def sector_label(sector: str | None) -> str:
    """A company's sector in the reader's language: a known sector ("groothandel/logistiek", "bouw") by its
    translated name, anything else typed in the register as it was typed; "—" without one."""
    if not sector:
        return "—"
    key = _SECTOR_SEPARATORS.sub("_", sector.strip().lower())
    return str(SECTORS[key]) if key in SECTORS else sector


# the limits of an uploaded file, shared with the other imports
MAX_IMPORT_MB = imports.MAX_IMPORT_MB
MAX_IMPORT_BYTES = imports.MAX_IMPORT_BYTES
MAX_IMPORT_ROWS = imports.MAX_IMPORT_ROWS

#: the sectors of the survey's sector question, by their key; the register's free text is matched against them
SECTORS = {
    "productie": _l("Productie en industrie"),
    "groothandel_logistiek": _l("Groothandel, transport en logistiek"),
    "bouw": _l("Bouw"),
    "zakelijke_dienstverlening": _l("Zakelijke dienstverlening"),
    "detailhandel": _l("Detailhandel"),
    "horeca": _l("Horeca"),
    "overig": _l("Overig"),
}
_SECTOR_SEPARATORS = re.compile(r"[\s/,-]+")
MAX_NAME = 200
MAX_STREET = 200
MAX_ADDITION = 10
MAX_SECTOR = 100
MAX_EMAIL = 254
MAX_HOUSE_NUMBER = 99_999
COORDINATE_DECIMALS = 7  # about 1 cm: more is noise, and a fixed precision keeps re-imports "unchanged"
IMPOSSIBLE_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})

FIELDS = (
    "name",
    "kvk_number",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "sector",
    "email",
    "lat",
    "lon",
    "language",
)
REQUIRED_FIELDS = ("name", "street", "house_number", "postcode")
#: what a field is called in messages and on the preview page
FIELD_LABELS = {
    "name": _l("naam"),
    "kvk_number": _l("KvK-nummer"),
    "street": _l("straat"),
    "house_number": _l("huisnummer"),
    "house_number_addition": _l("toevoeging"),
    "postcode": _l("postcode"),
    "sector": _l("sector"),
    "email": _l("e-mailadres"),
    "lat": _l("breedtegraad"),
    "lon": _l("lengtegraad"),
    "language": _l("taal contactpersoon"),
}
#: the column headers of an exported file (Dutch, the file format of the register; the import reads both languages)
EXPORT_HEADERS = {
    "name": "naam",
    "kvk_number": "kvk",
    "street": "straat",
    "house_number": "huisnummer",
    "house_number_addition": "toevoeging",
    "postcode": "postcode",
    "sector": "sector",
    "email": "e-mail",
    "lat": "breedtegraad",
    "lon": "lengtegraad",
    "language": "taal",
}
# Column headers the import understands, compared without case, spaces, dashes, dots and underscores.
HEADER_ALIASES = {
    "name": ("naam", "name", "bedrijfsnaam", "bedrijf", "company", "companyname"),
    "kvk_number": ("kvk", "kvknummer", "kvknumber", "kvknr", "coc", "cocnumber"),
    "street": ("straat", "street", "straatnaam", "streetname"),
    "house_number": ("huisnummer", "housenumber", "huisnr", "nummer", "number"),
    "house_number_addition": ("toevoeging", "addition", "huisnummertoevoeging", "housenumberaddition"),
    "postcode": ("postcode", "postalcode", "zip", "zipcode"),
    "sector": ("sector", "branche", "branch", "industry"),
    "email": ("email", "emailadres", "emailaddress", "mail"),
    "lat": ("lat", "latitude", "breedtegraad"),
    "lon": ("lon", "lng", "long", "longitude", "lengtegraad"),
    "language": ("taal", "language", "taalcontactpersoon", "contactlanguage"),
}
#: the languages of a company's contact (its letters and mails), and how a register file may write them
LANGUAGES = ("nl", "en")
LANGUAGE_ALIASES = {"nederlands": "nl", "dutch": "nl", "engels": "en", "english": "en"}

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPLIT_NUMBER = re.compile(r"([0-9]+)\s*-?\s*([A-Za-z][A-Za-z0-9]{0,9})")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


# --- the fields of one company -------------------------------------------------------------------------------


def check_company(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Normalise a company's fields and say what is wrong with them: (clean values, error per field).

    Only the fields present in `values` are checked and returned, so an import file without an e-mail column
    leaves the e-mail addresses alone; the required fields (name, street, house number, postcode) count as
    empty when missing. Values may be text as typed or typed values as stored; checking clean values again
    gives the same values.

    Rules: a name, street, house number (1-99999, "12a" is split into number and addition when there is no
    addition) and postcode are required; a postcode is "1234 AB" in any case and spacing, stored as "1234AB",
    never starting with 0 and never ending in SA, SD or SS; a KvK number has 8 digits (spaces are ignored);
    latitude and longitude come together and lie in the Netherlands.
    """
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def text(field: str) -> str:
        value = values.get(field)
        return "" if value is None else _CONTROL.sub(" ", str(value)).strip()

    name = text("name")
    if not name:
        errors["name"] = _("Vul de naam in.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("De naam is te lang (maximaal %(n)s tekens).", n=MAX_NAME)
    else:
        clean["name"] = name

    if "kvk_number" in values:
        kvk = re.sub(r"\s+", "", text("kvk_number"))
        if kvk and not re.fullmatch(r"[0-9]{8}", kvk):
            errors["kvk_number"] = _("Een KvK-nummer bestaat uit 8 cijfers.")
        else:
            clean["kvk_number"] = kvk or None

    street = text("street")
    if not street:
        errors["street"] = _("Vul de straat in.")
    elif len(street) > MAX_STREET:
        errors["street"] = _("De straatnaam is te lang (maximaal %(n)s tekens).", n=MAX_STREET)
    else:
        clean["street"] = street

    number, addition = text("house_number"), text("house_number_addition").lstrip("- ")
    split = None if addition else _SPLIT_NUMBER.fullmatch(number)
    if split:
        number, addition = split.groups()
    if not number:
        errors["house_number"] = _("Vul het huisnummer in.")
    elif not re.fullmatch(r"[0-9]{1,6}", number) or not 1 <= int(number) <= MAX_HOUSE_NUMBER:
        errors["house_number"] = _("Het huisnummer is een getal van 1 tot en met %(max)s.", max=MAX_HOUSE_NUMBER)
    else:
        clean["house_number"] = int(number)
    if "house_number_addition" in values or split:
        if len(addition) > MAX_ADDITION:
            errors["house_number_addition"] = _("De toevoeging is te lang (maximaal %(n)s tekens).", n=MAX_ADDITION)
        else:
            clean["house_number_addition"] = addition

    postcode = re.sub(r"\s+", "", text("postcode")).upper()
    if not postcode:
        errors["postcode"] = _("Vul de postcode in.")
    elif not re.fullmatch(r"[1-9][0-9]{3}[A-Z]{2}", postcode):
        errors["postcode"] = _("Een postcode bestaat uit 4 cijfers (niet beginnend met 0) en 2 letters, zoals 3541 AB.")
    elif postcode[4:] in IMPOSSIBLE_POSTCODE_LETTERS:
        errors["postcode"] = _("Een postcode eindigt nooit op SA, SD of SS.")
    else:
        clean["postcode"] = postcode

    if "sector" in values:
        sector = text("sector")
        if len(sector) > MAX_SECTOR:
            errors["sector"] = _("De sector is te lang (maximaal %(n)s tekens).", n=MAX_SECTOR)
        else:
            clean["sector"] = sector or None

    if "email" in values:
        email = text("email")
        if not email:
            clean["email"] = None
        else:
            try:
                if len(email) > MAX_EMAIL:
                    raise EmailNotValidError(email)
                clean["email"] = validate_email(email, check_deliverability=False).normalized
            except EmailNotValidError:
                errors["email"] = _("Dit is geen geldig e-mailadres.")

    if "language" in values:
        language = text("language").lower()
        language = LANGUAGE_ALIASES.get(language, language) or "nl"
        if language in LANGUAGES:
            clean["language"] = language
        else:
            errors["language"] = _("De taal is Nederlands (nl) of Engels (en).")

    if "lat" in values or "lon" in values:
        _check_coordinates(text("lat"), text("lon"), clean, errors)
    return clean, errors


def _check_coordinates(raw_lat: str, raw_lon: str, clean: dict[str, Any], errors: dict[str, str]) -> None:
    lat, lon = _decimal(raw_lat), _decimal(raw_lon)
    if raw_lat and lat is None:
        errors["lat"] = _("De breedtegraad is geen getal.")
    if raw_lon and lon is None:
        errors["lon"] = _("De lengtegraad is geen getal.")
    if "lat" in errors or "lon" in errors:
        return
    if lat is None and lon is None:
        clean["lat"] = clean["lon"] = None
        return
    if lat is None or lon is None:
        errors["lat" if lat is None else "lon"] = _(
            "Vul de breedtegraad en de lengtegraad allebei in, of geen van beide."
        )
        return
    west, south, east, north = NL_BOUNDS
    if not (south <= lat <= north and west <= lon <= east):
        message = _(
            "Deze coördinaten liggen niet in Nederland (breedtegraad tussen 50,7 en 53,6, lengtegraad tussen "
            "3,2 en 7,3)."
        )
        if south <= lon <= north and west <= lat <= east:
            message += " " + _("Zijn de breedtegraad en de lengtegraad misschien verwisseld?")
        errors["lat"] = message
        return
    clean["lat"], clean["lon"] = round(lat, COORDINATE_DECIMALS), round(lon, COORDINATE_DECIMALS)


def _decimal(raw: str) -> float | None:
    """A number written with a decimal point or a Dutch decimal comma; None for anything else."""
    raw = raw.replace(",", ".")
    if not _NUMBER.fullmatch(raw):
        return None
    value = float(raw)
    return value if math.isfinite(value) else None


def clean_company(values: Mapping[str, Any]) -> dict[str, Any]:
    """The clean values of `check_company`, or a DomainError with every problem in one message."""
    clean, errors = check_company(values)
    if errors:
        raise DomainError(" ".join(errors.values()))
    return clean


def _complete(clean: Mapping[str, Any]) -> dict[str, Any]:
    """Clean values with the optional fields a file or form left out set to empty."""
    empty = {
        "kvk_number": None,
        "house_number_addition": "",
        "sector": None,
        "email": None,
        "lat": None,
        "lon": None,
        "language": "nl",
    }
    return empty | dict(clean)


def _address_key(postcode: str, house_number: int, addition: str, name: str) -> tuple[str, int, str, str]:
    """A company's natural key in the register: its address and name, without regard to case or spacing."""
    return postcode, house_number, addition.casefold(), " ".join(name.split()).casefold()


def _key_of(company: Company) -> tuple[str, int, str, str]:
    return _address_key(company.postcode, company.house_number, company.house_number_addition, company.name)


def _ensure_unique(park: Park, values: Mapping[str, Any], company: Company | None) -> None:
    key = _address_key(values["postcode"], values["house_number"], values["house_number_addition"], values["name"])
    for other in park.companies:
        if other is company:
            continue
        if _key_of(other) == key:
            raise DomainError(_("Op dit adres staat al een bedrijf met deze naam in het register."))
        if values["kvk_number"] and other.kvk_number == values["kvk_number"]:
            raise DomainError(
                _(
                    "Het KvK-nummer %(kvk)s hoort al bij %(name)s in dit register.",
                    kvk=other.kvk_number,
                    name=other.name,
                )
            )


# --- editing the register ------------------------------------------------------------------------------------


def create_company(actor: User, park: Park, values: Mapping[str, Any], *, now: datetime) -> Company:
    """Add a company to the park's register (advisors and the municipality).

    The fields follow `check_company`; an address with the same name, or a KvK number already in the register,
    is refused with a DomainError: a KvK number identifies one company of the register.
    """
    ensure_can(actor, "companies.edit", park)
    clean = _complete(clean_company(values))
    _ensure_unique(park, clean, None)
    company = Company(park=park, created_at=now, outside_accepted=False, **clean)
    db.session.add(company)
    db.session.flush()
    audit.record(actor, "companies.created", company, park=park, details={"name": company.name})
    db.session.flush()
    return company


def update_company(actor: User, company: Company, values: Mapping[str, Any]) -> Company:
    """Change a company's fields (only those in `values`), with the rules of `create_company`.

    Moving its point (latitude or longitude) withdraws an earlier acceptance of a point outside the area.
    """
    park = company.park
    ensure_can(actor, "companies.edit", park)
    clean = clean_company(values)
    merged = {field: getattr(company, field) for field in FIELDS} | clean
    _ensure_unique(park, merged, company)
    changed = _apply_values(company, clean)
    if changed:
        audit.record(actor, "companies.updated", company, park=park, details={"name": company.name, "fields": changed})
    db.session.flush()
    return company


def _apply_values(company: Company, clean: Mapping[str, Any]) -> list[str]:
    changed = [field for field, value in clean.items() if getattr(company, field) != value]
    for field in changed:
        setattr(company, field, clean[field])
    if "lat" in changed or "lon" in changed:
        company.outside_accepted = False
    return changed


def delete_company(actor: User, company: Company) -> None:
    """Remove a company from the register (advisors and the municipality)."""
    park = company.park
    ensure_can(actor, "companies.edit", park)
    audit.record(
        actor,
        "companies.deleted",
        company,
        park=park,
        details={"name": company.name, "address": company.address, "kvk_number": company.kvk_number},
    )
    park.companies.remove(company)
    db.session.delete(company)
    db.session.flush()


def accept_outside(actor: User, company: Company) -> Company:
    """Record that a company whose point lies outside the park's area belongs to the park all the same.

    Refused (DomainError) for a company without coordinates or inside the area: there is nothing to accept.
    """
    park = company.park
    ensure_can(actor, "companies.edit", park)
    if company.lat is None or company.lon is None:
        raise DomainError(_("Dit bedrijf heeft geen coördinaten; er valt niets te accepteren."))
    if point_test(park.area)(company.lat, company.lon):
        raise DomainError(_("Dit bedrijf ligt binnen het gebied van het park."))
    if not company.outside_accepted:
        company.outside_accepted = True
        audit.record(actor, "companies.outside_accepted", company, park=park, details={"name": company.name})
    db.session.flush()
    return company


def companies_outside(park: Park) -> list[Company]:
    """Companies with coordinates outside the park's area that nobody accepted yet (the step machine asks).

    A park without an area has every company with coordinates outside it, as `geometry.point_test` says.
    """
    inside = point_test(park.area)
    return [
        company
        for company in park.companies
        if company.lat is not None
        and company.lon is not None
        and not company.outside_accepted
        and not inside(company.lat, company.lon)
    ]


# --- reading a register file ---------------------------------------------------------------------------------


def _check_register_columns(fields: Collection[str]) -> None:
    if ("lat" in fields) != ("lon" in fields):
        raise DomainError(
            _("Het bestand heeft een kolom voor de breedtegraad of de lengtegraad, maar niet voor allebei.")
        )


def _too_many_companies(limit: int) -> str:
    return _(
        "Het bestand heeft meer dan %(n)s regels met bedrijven. Splits het in kleinere bestanden.",
        n=format_number(limit),
    )


def _only_header() -> str:
    return _("Het bestand bevat geen bedrijven: er staat alleen een kopregel in.")


REGISTER_FORMAT = TableFormat(
    aliases=HEADER_ALIASES,
    required=REQUIRED_FIELDS,
    headers=EXPORT_HEADERS,
    check_columns=_check_register_columns,
    too_many_rows=_too_many_companies,
    only_header=_only_header,
)


def read_register(filename: str, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Parse an uploaded register with `imports.read_table` (CSV in the encodings and flavours spreadsheet
    programs write, or the first sheet of an .xlsx file).

    Returns the fields that have a column and the data rows as (row number as a spreadsheet shows it,
    {field: text}); blank rows are skipped. Raises DomainError for a file that is too big, empty, not a
    register (required columns missing, a latitude without a longitude column) or has too many rows.
    """
    table = read_table(filename, data, REGISTER_FORMAT)
    if table.from_excel:
        for _number, values in table.records:
            kvk = values.get("kvk_number", "")
            if re.fullmatch(r"[0-9]{1,7}", kvk):
                values["kvk_number"] = kvk.zfill(8)  # Excel drops the leading zero of a KvK number typed as a number
    return table.fields, table.records


# --- import: preview, then apply -----------------------------------------------------------------------------


def _plan(park: Park, records: Iterable[tuple[int, Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Decide per row what the import would do, as if the rows were applied one after another.

    A row belongs to an existing company by its KvK number when that number is in the register, else by its
    address and name. It is a "create", an "update" (some field differs), "unchanged", or a "reject" with the
    reason: invalid fields, the same company or KvK number earlier in the file, or an address and name or a
    KvK number that belongs to another company of the register.
    """
    companies = list(db.session.scalars(select(Company).where(Company.park_id == park.id)))
    by_kvk = {c.kvk_number: c for c in companies if c.kvk_number}
    by_key = {_key_of(c): c for c in companies}
    # who holds an address key or KvK number at this point of the file: a company id, or ("row", n) for a new one
    key_holder: dict[tuple, Any] = {key: c.id for key, c in by_key.items()}
    kvk_holder: dict[str, Any] = {kvk: c.id for kvk, c in by_kvk.items()}
    names = {c.id: c.name for c in companies}
    claimed: dict[int, int] = {}  # company id -> the row that already changes it
    plan: list[dict[str, Any]] = []

    def earlier_row(holder: Any) -> int | None:
        """The row of the file that holds a key, or None when a company of the register holds it."""
        return holder[1] if isinstance(holder, tuple) else claimed.get(holder)

    for number, values in records:
        entry: dict[str, Any] = {"row": number, "outcome": REJECT, "reason": "", "company_id": None, "changes": []}
        plan.append(entry)
        clean, errors = check_company(values)
        if errors:
            entry["values"] = {field: str(value) for field, value in values.items()}
            entry["reason"] = " ".join(errors.values())
            continue
        entry["values"] = clean
        full = _complete(clean)
        kvk = full["kvk_number"]
        key = _address_key(full["postcode"], full["house_number"], full["house_number_addition"], full["name"])
        target = by_kvk.get(kvk) if kvk else None
        if target is None:
            target = by_key.get(key)
        me = target.id if target is not None else ("row", number)

        holder = key_holder.get(key, me)
        kvk_owner = kvk_holder.get(kvk, me) if kvk else me
        if target is not None and target.id in claimed:
            entry["reason"] = _("Dit bedrijf staat ook al op regel %(row)s van het bestand.", row=claimed[target.id])
        elif holder != me:
            row = earlier_row(holder)
            entry["reason"] = (
                _("Hetzelfde bedrijf staat ook al op regel %(row)s van het bestand.", row=row)
                if row
                else _("Op dit adres staat al een ander bedrijf met deze naam: %(name)s.", name=names[holder])
            )
        elif kvk_owner != me:
            row = earlier_row(kvk_owner)
            entry["reason"] = (
                _("Het KvK-nummer %(kvk)s staat ook al op regel %(row)s van het bestand.", kvk=kvk, row=row)
                if row
                else _("Het KvK-nummer %(kvk)s hoort al bij %(name)s in dit register.", kvk=kvk, name=names[kvk_owner])
            )
        if entry["reason"]:
            continue
        if target is None:
            entry["outcome"] = CREATE
        else:
            claimed[target.id] = number
            entry["company_id"] = target.id
            entry["changes"] = [field for field, value in clean.items() if getattr(target, field) != value]
            entry["outcome"] = UPDATE if entry["changes"] else UNCHANGED
            # the company lets go of its old address key and KvK number when the row changes them
            old_key = _key_of(target)
            if key_holder.get(old_key) == target.id:
                del key_holder[old_key]
            if target.kvk_number and kvk_holder.get(target.kvk_number) == target.id and "kvk_number" in clean:
                del kvk_holder[target.kvk_number]
            if "kvk_number" not in clean and target.kvk_number:
                kvk = target.kvk_number
        key_holder[key] = me
        if kvk:
            kvk_holder[kvk] = me
    return plan


COMPANY_IMPORT = ImportKind(
    model=CompanyImport,
    permission="companies.edit",
    target="company_id",
    records=lambda park: park.companies,
    checked_action="companies.import_checked",
    applied_action="companies.imported",
    changed_since_check=_l(
        "Het register is gewijzigd sinds het bestand werd gecontroleerd. Lees het bestand opnieuw in."
    ),
)


def preview_import(actor: User, park: Park, filename: str, data: bytes, *, now: datetime) -> CompanyImport:
    """Read an uploaded register file and store what importing it would do, row by row; no company changes.

    The user's earlier unconfirmed previews for this park are dropped. Raises DomainError when the file
    cannot be read as a register (see `read_register`).
    """
    return imports.check_upload(
        COMPANY_IMPORT,
        actor,
        park,
        filename,
        data,
        check=lambda name, content: _plan(park, read_register(name, content)[1]),
        now=now,
    )


def apply_import(actor: User, company_import: CompanyImport, *, now: datetime) -> dict[str, int]:
    """Carry out a checked import: add the new companies and update the changed ones, all in one transaction.

    Refused (DomainError) when it was applied before, or when the register changed since the check so that
    the rows would now have other outcomes (the user checks the file again). Returns the counts per outcome.
    """
    park = company_import.park

    def update(company: Company, values: Mapping[str, Any]) -> None:
        _apply_values(company, values)
        db.session.flush()  # one by one, in file order, so that an address a row frees is free for a later row

    return imports.apply_checked(
        COMPANY_IMPORT,
        actor,
        company_import,
        check=lambda records: _plan(park, records),
        update=update,
        create=lambda values: db.session.add(
            Company(park=park, created_at=now, outside_accepted=False, **_complete(values))
        ),
        now=now,
    )


def import_records(
    actor: User, park: Park, records: list[dict[str, str]], *, source: str, apply: bool, now: datetime
) -> tuple[CompanyImport, dict[str, int]]:
    """Import register rows that come without a file (the API): checked exactly as the rows of an uploaded file,
    stored as a preview, and applied at once unless `apply` is False (a dry run). Rejected rows are left out, as
    the confirm step of a file leaves them out. Returns the checked import and the counts per outcome."""
    checked = imports.check_upload(
        COMPANY_IMPORT,
        actor,
        park,
        source,
        b"",
        check=lambda _name, _data: _plan(park, enumerate(records, start=1)),
        now=now,
    )
    counts = apply_import(actor, checked, now=now) if apply else imports.import_counts(checked.rows)
    return checked, counts


# --- export --------------------------------------------------------------------------------------------------


def _export_rows(park: Park) -> list[list[Any]]:
    companies = db.session.scalars(select(Company).where(Company.park_id == park.id).order_by(Company.name, Company.id))
    return [
        [
            c.name,
            c.kvk_number or "",
            c.street,
            c.house_number,
            c.house_number_addition,
            c.postcode_display,
            c.sector or "",
            c.email or "",
            c.lat,
            c.lon,
            c.language,
        ]
        for c in companies
    ]


def export_csv(park: Park) -> bytes:
    """The register as CSV that Excel in Dutch opens directly: UTF-8 with BOM, semicolons, Dutch headers.

    Importing it again into the same park changes nothing.
    """
    return csv_bytes(EXPORT_HEADERS.values(), _export_rows(park))


def export_xlsx(park: Park) -> bytes:
    """The register as an Excel workbook (.xlsx) with one sheet; texts are stored as text, never as formulas."""
    return xlsx_bytes([(_("Bedrijven"), EXPORT_HEADERS.values(), _export_rows(park))])
