"""Importing an uploaded table (CSV or Excel) through a preview, and writing one back as CSV.

Shared by the imports that check a file through a preview before anything changes: the company register
(`parks.companies`) and the partner figures (`inventory.figures`). Each describes its columns in a
`TableFormat`; this module decodes the bytes, tells CSV from Excel, finds the delimiter and the header row,
maps the headers onto fields and enforces the size and row limits. Each describes its stored previews in an
`ImportKind`; this module stores the checked rows (`check_upload`) and carries them out once the user confirms
(`apply_checked`), with the area's own functions for checking a row and changing or adding a record. The pages
that lead a user through it (upload, preview, confirm) are in `views.py`, which only the areas' views import.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from flask_babel import LazyString, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.parks.models import Park

MAX_IMPORT_MB = 20
MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024
MAX_IMPORT_ROWS = 10_000
# Beyond these a file is not a table of ours: stop reading instead of walking a sheet of a million empty rows.
MAX_COLUMNS = 100
MAX_BLANK_ROWS = 10_000
# An .xlsx is a zip: a few kilobytes can unpack to gigabytes. What openpyxl may unpack, in all and per byte packed.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_XLSX_RATIO = 500

# Spreadsheet programs run a cell that starts with one of these as a formula; exports defuse them with a quote.
FORMULA_START = ("=", "+", "-", "@")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CSV_EXTENSIONS = {"csv", "txt", "tsv", ""}
_XLSX_EXTENSIONS = {"xlsx", "xlsm"}
_HEADER_NOISE = re.compile(r"\(.*?\)|[\s_\-.\ufeff\"']+")


def header_key(header: str) -> str:
    """A column header as it is compared: lower case, without spaces, dashes, dots, underscores, quotes and
    anything in brackets ("Aantal (totaal)" -> "aantal")."""
    return _HEADER_NOISE.sub("", header.lower())


def _default_too_many_rows(limit: int) -> str:
    return _("Het bestand heeft meer dan %(n)s regels. Splits het in kleinere bestanden.", n=format_number(limit))


def _default_only_header() -> str:
    return _("Het bestand bevat alleen een kopregel.")


@dataclass(frozen=True)
class TableFormat:
    """The columns a kind of file may have.

    `aliases` gives per field the headers that name it (compared as `header_key` does), `required` the fields
    a file must have a column for, and `headers` the header per field that messages name (the export's).
    `check_columns` may refuse a combination of columns (DomainError); the two messages say what a file with
    too many rows or without data rows lacks, in the words of the kind of file.
    """

    aliases: Mapping[str, Sequence[str]]
    required: Sequence[str]
    headers: Mapping[str, str]
    check_columns: Callable[[Collection[str]], None] | None = None
    too_many_rows: Callable[[int], str] = _default_too_many_rows
    only_header: Callable[[], str] = _default_only_header
    _fields: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_alias = {header_key(alias): name for name, aliases in self.aliases.items() for alias in aliases}
        object.__setattr__(self, "_fields", by_alias)

    def field_of(self, header: str) -> str | None:
        """The field a column header names, or None for a column this format does not know."""
        return self._fields.get(header_key(header))


@dataclass(frozen=True)
class Table:
    #: the fields that have a column, in the order of the columns
    fields: list[str]
    #: the data rows: (row number as a spreadsheet shows it, {field: text}); blank rows are left out
    records: list[tuple[int, dict[str, str]]]
    #: read from an Excel workbook (numbers may have lost their leading zeros), not from CSV
    from_excel: bool


def read_table(filename: str, data: bytes, table_format: TableFormat) -> Table:
    """Parse an uploaded table: CSV (UTF-8 with or without BOM, UTF-16 as Excel's "Unicode text", or
    Windows-1252 as Excel writes it in Dutch; comma, semicolon or tab, or Excel's "sep=" line) or Excel
    (.xlsx, the first sheet). The first non-blank row holds the headers; unknown columns are ignored.

    Raises DomainError for a file that is too big, empty, of another kind, without the required columns, with
    a column twice, without data rows or with more than MAX_IMPORT_ROWS of them.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise DomainError(_("Het bestand is groter dan %(mb)s MB. Splits het in kleinere bestanden.", mb=MAX_IMPORT_MB))
    if not data.strip():
        raise DomainError(_("Het bestand is leeg."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(_ZIP_MAGIC):
        rows, from_excel = _xlsx_rows(data), True
    elif data.startswith(_OLE_MAGIC):
        raise DomainError(
            _(
                "Dit is een oud of beveiligd Excel-bestand. Sla het in Excel op als .xlsx (zonder wachtwoord) "
                "of als CSV."
            )
        )
    elif extension in _XLSX_EXTENSIONS:
        raise DomainError(_("Dit bestand is geen geldig Excel-bestand (.xlsx)."))
    elif extension in _CSV_EXTENSIONS:
        rows, from_excel = _csv_rows(decode(data), table_format), False
    else:
        raise DomainError(_("Kies een CSV-bestand (.csv) of een Excel-bestand (.xlsx)."))
    return _records(rows, table_format, from_excel=from_excel)


def decode(data: bytes) -> str:
    """The text of an uploaded CSV file, whichever encoding a spreadsheet program gave it."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise DomainError(_("Dit bestand is geen CSV- of Excel-bestand.")) from None
    elif data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Excel in a Dutch (Western European) locale writes Windows-1252; Latin-1 decodes whatever is left
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    if "\x00" in text:
        raise DomainError(_("Dit bestand is geen CSV- of Excel-bestand."))
    return text


def _csv_rows(text: str, table_format: TableFormat) -> Iterator[list[str]]:
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if first.lower().startswith("sep=") and len(first.strip()) == 5:  # Excel's hint line: "sep=;"
        delimiter = first.strip()[4]
        text = text[text.index(first) + len(first) :].lstrip("\r\n")
    else:

        def score(candidate: str) -> tuple[int, int]:
            cells = next(csv.reader([first], delimiter=candidate), [])
            return sum(1 for cell in cells if table_format.field_of(cell)), len(cells)

        delimiter = max((";", ",", "\t"), key=score)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        raise DomainError(
            _("Regel %(row)s van het CSV-bestand kan niet worden gelezen.", row=reader.line_num)
        ) from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    """The rows of the first sheet, read at once (within the row limits) so that the workbook is closed here."""
    from openpyxl import load_workbook

    _check_zip_sizes(data)
    rows: list[list[str]] = []
    filled = blank = 0
    try:
        with warnings.catch_warnings():
            # files from other programs make openpyxl warn (styles, extensions); the values are what counts
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                sheet.reset_dimensions()  # some programs write a wrong size; read what is there
                for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                    row = [_cell_text(value) for value in values]
                    rows.append(row)
                    if any(cell.strip() for cell in row):
                        filled, blank = filled + 1, 0
                    else:
                        blank += 1
                    if filled > MAX_IMPORT_ROWS + 1 or blank > MAX_BLANK_ROWS:
                        break  # enough to say "too many rows", or the empty rest of the sheet
            finally:
                workbook.close()
    except Exception:  # a damaged or foreign zip makes zipfile, lxml and openpyxl raise many kinds
        raise DomainError(
            _("Dit Excel-bestand kan niet worden gelezen. Sla het opnieuw op als .xlsx of als CSV.")
        ) from None
    return rows


def _check_zip_sizes(data: bytes) -> None:
    """Refuse a workbook whose members would unpack to more than MAX_XLSX_UNPACKED_BYTES, or with a member that
    unpacks more than MAX_XLSX_RATIO times (a zip bomb), from the sizes in the zip's directory, before anything is
    unpacked. A damaged zip is left to openpyxl, which refuses it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        return
    total = sum(member.file_size for member in members)
    swollen = any(member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1024) for member in members)
    if total > MAX_XLSX_UNPACKED_BYTES or swollen:
        raise DomainError(_("Dit Excel-bestand is uitgepakt te groot om te lezen. Sla het op als CSV of splits het."))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def undo_defusing(cell: str) -> str:
    """A leading quote that an export put before a formula character is not part of the value."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_START else cell


def _records(rows: Iterable[list[str]], table_format: TableFormat, *, from_excel: bool) -> Table:
    columns: dict[int, str] | None = None
    records: list[tuple[int, dict[str, str]]] = []
    blank = 0
    for number, cells in enumerate(rows, start=1):
        if not any(cell.strip() for cell in cells):
            blank += 1
            if blank > MAX_BLANK_ROWS:
                break  # the empty rest of a sheet; nobody leaves that many empty rows between data
            continue
        blank = 0
        if columns is None:
            columns = _columns(cells, table_format)
            continue
        if len(records) >= MAX_IMPORT_ROWS:
            raise DomainError(table_format.too_many_rows(MAX_IMPORT_ROWS))
        values = {}
        for index, name in columns.items():
            values[name] = undo_defusing(cells[index].strip()) if index < len(cells) else ""
        records.append((number, values))
    if columns is None:
        raise DomainError(_("Het bestand is leeg."))
    if not records:
        raise DomainError(table_format.only_header())
    return Table(list(dict.fromkeys(columns.values())), records, from_excel)


def _columns(headers: list[str], table_format: TableFormat) -> dict[int, str]:
    """Column index -> field, from the header row; unknown columns are ignored."""
    columns: dict[int, str] = {}
    for index, header in enumerate(headers):
        name = table_format.field_of(header)
        if name is None:
            continue
        if name in columns.values():
            raise DomainError(_("De kolom %(column)s staat twee keer in het bestand.", column=header.strip()))
        columns[index] = name
    missing = [name for name in table_format.required if name not in columns.values()]
    if missing:
        raise DomainError(
            _(
                "In het bestand ontbreken de kolommen %(missing)s. De eerste regel moet de kolomkoppen bevatten: "
                "%(headers)s.",
                missing=", ".join(table_format.headers[name] for name in missing),
                headers=", ".join(table_format.headers.values()),
            )
        )
    if table_format.check_columns is not None:
        table_format.check_columns(set(columns.values()))
    return columns


# --- checking a file through a preview, then applying it --------------------------------------------------------

#: what a row of a checked file does: add a record, change one, leave one as it is, or nothing (with the reason)
CREATE, UPDATE, UNCHANGED, REJECT = "create", "update", "unchanged", "reject"
OUTCOMES = (CREATE, UPDATE, UNCHANGED, REJECT)
OUTCOME_LABELS = {
    CREATE: _l("Nieuw"),
    UPDATE: _l("Bijwerken"),
    UNCHANGED: _l("Ongewijzigd"),
    REJECT: _l("Afgewezen"),
}

#: a checked row: {"row": number, "outcome": one of OUTCOMES, "reason": why rejected, "values": {field: value},
#: the id of the record it changes under the kind's `target` key, and what else the area's preview shows}
Row = dict[str, Any]
#: the data rows of a file: (row number as a spreadsheet shows it, {field: value})
Records = Iterable[tuple[int, Mapping[str, Any]]]


class CheckedImport(Protocol):
    """A stored preview (`CompanyImport`, `FigureImport`): which user checked which file for which park, the rows
    with their outcomes, and when it was applied."""

    id: int
    park: Park
    user_id: int | None
    filename: str
    rows: list[Row]
    applied_at: datetime | None


@dataclass(frozen=True)
class ImportKind:
    """What one kind of import puts into the shared steps: where its previews are stored (`model`, with the
    columns park_id, user_id, filename, rows, applied_at and created_at), the policy action it needs, the row
    key that holds the id of the record a row changes, the park's records by id, the audit actions of a checked
    and of an applied file, and the refusal when the park's records changed since the check."""

    model: type
    permission: str
    target: str
    records: Callable[[Park], Iterable[Any]]
    checked_action: str
    applied_action: str
    changed_since_check: LazyString


def upload_name(filename: str | None) -> str:
    """The name of an uploaded file as a preview shows it: without folders, at most 255 characters."""
    return (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255] or "bestand"


def import_counts(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many rows of a preview have each outcome."""
    counts = dict.fromkeys(OUTCOMES, 0)
    for row in rows:
        counts[row["outcome"]] += 1
    return counts


def check_upload(
    kind: ImportKind,
    actor: User,
    park: Park,
    filename: str | None,
    data: bytes,
    *,
    check: Callable[[str, bytes], list[Row]],
    now: datetime,
) -> Any:
    """Store what importing an uploaded file would do, row by row, for the user to confirm; no record changes.

    Needs `kind.permission` on the park. `check(filename, data)` reads the file and decides per row (raising
    DomainError for a file it cannot read: then nothing is stored). The user's earlier unconfirmed previews of
    this kind for the park are dropped. Returns the stored preview (an instance of `kind.model`).
    """
    ensure_can(actor, kind.permission, park)
    filename = upload_name(filename)
    rows = check(filename, data)
    model = kind.model
    stale = select(model).where(model.park_id == park.id, model.user_id == actor.id, model.applied_at.is_(None))
    for old in db.session.scalars(stale):
        db.session.delete(old)
    checked = model(park=park, user_id=actor.id, filename=filename, rows=rows, created_at=now)
    db.session.add(checked)
    db.session.flush()
    audit.record(actor, kind.checked_action, checked, park=park, details={"filename": filename, **import_counts(rows)})
    db.session.flush()
    return checked


def apply_checked(
    kind: ImportKind,
    actor: User,
    checked: CheckedImport,
    *,
    check: Callable[[Records], list[Row]],
    update: Callable[[Any, Mapping[str, Any]], None],
    create: Callable[[Mapping[str, Any]], None],
    now: datetime,
) -> dict[str, int]:
    """Carry out a checked import in one transaction and return the counts per outcome of its preview.

    Needs `kind.permission` on the park. The rows that were not rejected are decided again with `check(records)`;
    when any of them now has another outcome or another record (the park's records changed since the check), it
    is refused with `kind.changed_since_check` and the user checks the file again. So is a preview that was
    applied before. Then `update(record, values)` runs for every row that changes a record, in the order of the
    file, and after them `create(values)` for every new one: a new record never takes the place of one that a
    later row moves away.
    """
    park = checked.park
    ensure_can(actor, kind.permission, park)
    if checked.applied_at is not None:
        raise DomainError(_("Deze import is al verwerkt."))
    earlier = [row for row in checked.rows if row["outcome"] != REJECT]
    rows = check([(row["row"], row["values"]) for row in earlier])
    if [(row["outcome"], row[kind.target]) for row in rows] != [(row["outcome"], row[kind.target]) for row in earlier]:
        raise DomainError(str(kind.changed_since_check))
    records = {record.id: record for record in kind.records(park)}
    for row in rows:
        if row["outcome"] == UPDATE:
            update(records[row[kind.target]], row["values"])
    for row in rows:
        if row["outcome"] == CREATE:
            create(row["values"])
    checked.applied_at = now
    counts = import_counts(checked.rows)
    audit.record(actor, kind.applied_action, checked, park=park, details={"filename": checked.filename, **counts})
    db.session.flush()
    return counts


# --- writing CSV ---------------------------------------------------------------------------------------------


def csv_cell(value: Any) -> str:
    """A value as a cell of a CSV file for Excel in Dutch: a decimal comma, and never a formula."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).replace(".", ",")  # Excel in Dutch reads a decimal comma as a number
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # never a formula in someone's spreadsheet; the import drops the quote again
    return str(value)


def csv_bytes(headers: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A CSV file that Excel in Dutch opens directly: UTF-8 with BOM, semicolons, CRLF; `read_table` reads it
    back as it was written."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[str], Iterable[Iterable[Any]]]]) -> bytes:
    """An Excel workbook (.xlsx) with a sheet per (title, headers, rows): a bold header row kept in view; texts
    stored as text, never as formulas (a text that starts with "=" stays that text); dates as yyyy-mm-dd."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        header = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
