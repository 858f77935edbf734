"""Partner figures per park (step 3): entering a count, importing a file through a preview, the export, and the
yearly view with the change against the year before.

A figure is an aggregated count of a source's category in a year (quarter 0) or in one quarter of it. Only counts
enter the platform: personal data from police or municipal records never does (domain notes (e) 10). For one
source, category and year the figures are either a year total or counts per quarter, never both: a year total
beside its quarters would count the same incidents twice.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from flask_babel import force_locale, format_number, format_percent, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, imports
from app.auth.models import User
from app.auth.policy import ensure_can, ensure_may_edit_figures, may_edit_figures
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.imports import CREATE, REJECT, UNCHANGED, UPDATE, ImportKind, TableFormat, csv_bytes, read_table
from app.inventory.categories import CATEGORIES, category_label
from app.inventory.models import Figure, FigureImport, FigureSource
from app.parks.models import Park

MIN_YEAR = 2000
MAX_COUNT = 1_000_000
#: the table shows this many of the most recent years; the export has them all
TABLE_YEARS = 6
#: the chart compares this many of the most recent years per category
CHART_YEARS = 3

FIELDS = ("source", "category", "year", "quarter", "count")
REQUIRED_FIELDS = ("source", "category", "year", "count")
#: what a field is called in messages
FIELD_LABELS = {
    "source": _l("bron"),
    "category": _l("categorie"),
    "year": _l("jaar"),
    "quarter": _l("kwartaal"),
    "count": _l("aantal"),
}
#: the column headers of an exported file; the import reads these and the English ones
EXPORT_HEADERS = {"source": "bron", "category": "categorie", "year": "jaar", "quarter": "kwartaal", "count": "aantal"}
#: a column of the export for people, which the import ignores
LABEL_HEADER = "omschrijving"
HEADER_ALIASES = {
    "source": ("bron", "source", "partner"),
    "category": ("categorie", "category", "soort", "type"),
    "year": ("jaar", "year"),
    "quarter": ("kwartaal", "quarter", "kw", "q"),
    "count": ("aantal", "count", "aantallen", "number", "totaal", "total"),
}
#: further names of the sources in a file (besides their key and their label)
SOURCE_ALIASES = {
    FigureSource.POLITIE: ("police",),
    FigureSource.BRANDWEER: ("fire brigade", "fire", "veiligheidsregio"),
    FigureSource.MOR: ("meldingen openbare ruimte", "gemeente", "municipality", "public space reports"),
    FigureSource.BEVEILIGING: ("security", "meldkamer", "alarmcentrale"),
}

_QUARTER = re.compile(r"(?:q|k|kw|kwartaal|quarter)?\s*([0-4])")
_WHOLE_YEAR = {"", "jaar", "heel jaar", "year", "whole year", "totaal", "total"}


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def quarter_label(quarter: int) -> str:
    return _("heel jaar") if quarter == 0 else _("kwartaal %(n)s", n=quarter)


# --- the fields of one figure ----------------------------------------------------------------------------------


def _source_names() -> dict[str, FigureSource]:
    return _names(str(get_locale()))[0]


def _category_names(source: FigureSource) -> dict[str, str]:
    return _names(str(get_locale()))[1].get(source, {})


@lru_cache(maxsize=8)
def _names(locale: str) -> tuple[dict[str, FigureSource], dict[FigureSource, dict[str, str]]]:
    """What a file may call the sources and categories: their keys, their Dutch labels and their labels in
    `locale`, compared without case and extra spaces (worked out once per language: an import checks thousands
    of rows)."""
    sources: dict[str, FigureSource] = {}
    categories: dict[FigureSource, dict[str, str]] = {}
    for source in FigureSource:
        with force_locale("nl"):
            dutch = source.label
            dutch_categories = {key: str(label) for key, label in CATEGORIES.get(source, {}).items()}
        with force_locale(locale):
            local = source.label
            local_categories = {key: str(label) for key, label in CATEGORIES.get(source, {}).items()}
        for name in (source.value, dutch, local, *SOURCE_ALIASES.get(source, ())):
            sources.setdefault(_words(name), source)
        names: dict[str, str] = {}
        for key in CATEGORIES.get(source, {}):
            for name in (key, dutch_categories[key], local_categories[key]):
                names.setdefault(_words(name), key)
        categories[source] = names
    return sources, categories


def check_figure(values: Mapping[str, Any], *, today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """Normalise a figure's fields and say what is wrong with them: (clean values, error per field).

    Rules: the source is one of the sources (its key, its label or a common name, in Dutch or English); the
    category is one of that source's categories (key or label); the year lies between 2000 and this year; the
    quarter is empty or 0 for the whole year, or 1 to 4 ("Q2" and "kwartaal 2" work too); the count is a whole
    number from 0 to a million. Clean values are plain JSON values: checking them again gives the same values.
    """
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def text(name: str) -> str:
        value = values.get(name)
        return "" if value is None else str(value).strip()

    source = _source_names().get(_words(text("source")))
    if source is None:
        errors["source"] = (
            _("Kies een bron.")
            if not text("source")
            else _(
                "Onbekende bron %(source)s. Kies uit: %(sources)s.",
                source=text("source")[:50],
                sources=", ".join(s.value for s in FigureSource),
            )
        )
    else:
        clean["source"] = source.value
        category = _category_names(source).get(_words(text("category")))
        if category is None:
            errors["category"] = (
                _("Kies een categorie.")
                if not text("category")
                else _(
                    "De categorie %(category)s hoort niet bij de bron %(source)s.",
                    category=text("category")[:80],
                    source=source.label,
                )
            )
        else:
            clean["category"] = category

    year = text("year")
    this_year = today.year
    if not re.fullmatch(r"[0-9]{4}", year) or not MIN_YEAR <= int(year) <= this_year:
        errors["year"] = _("Het jaar ligt tussen %(first)s en %(last)s.", first=MIN_YEAR, last=this_year)
    else:
        clean["year"] = int(year)

    quarter = _words(text("quarter"))
    match = _QUARTER.fullmatch(quarter)
    if quarter in _WHOLE_YEAR:
        clean["quarter"] = 0
    elif match:
        clean["quarter"] = int(match.group(1))
    else:
        errors["quarter"] = _("Het kwartaal is 1, 2, 3 of 4, of leeg voor het hele jaar.")

    count = re.sub(r"\s+", "", text("count"))
    if not count:
        errors["count"] = _("Vul het aantal in.")
    elif not re.fullmatch(r"[0-9]{1,7}", count) or int(count) > MAX_COUNT:
        errors["count"] = _("Het aantal is een heel getal van 0 tot en met %(max)s.", max=format_number(MAX_COUNT))
    else:
        clean["count"] = int(count)
    return clean, errors


def _key(values: Mapping[str, Any]) -> tuple[str, str, int, int]:
    return values["source"], values["category"], values["year"], values["quarter"]


def _key_of(figure: Figure) -> tuple[str, str, int, int]:
    return figure.source.value, figure.category, figure.year, figure.quarter


def _mixing(quarters: Collection[int], values: Mapping[str, Any]) -> str | None:
    """Why a figure cannot stand beside the figures of the same source, category and year (`quarters`), or None."""
    label = category_label(FigureSource(values["source"]), values["category"])
    others = set(quarters) - {values["quarter"]}
    if values["quarter"] == 0 and others:
        return _(
            "Voor %(category)s staan in %(year)s al cijfers per kwartaal. Vul dit cijfer ook per kwartaal in, of "
            "verwijder eerst de kwartaalcijfers: een jaartotaal ernaast telt dubbel.",
            category=label,
            year=values["year"],
        )
    if values["quarter"] != 0 and 0 in others:
        return _(
            "Voor %(category)s staat over %(year)s al een jaartotaal. Verwijder dat eerst als u cijfers per "
            "kwartaal invult: anders telt het dubbel.",
            category=label,
            year=values["year"],
        )
    return None


def _park_figures(park: Park) -> list[Figure]:
    return list(db.session.scalars(select(Figure).where(Figure.park_id == park.id).order_by(Figure.id)))


def _quarters_known(figures: Iterable[Figure]) -> dict[tuple[str, str, int], set[int]]:
    known: dict[tuple[str, str, int], set[int]] = defaultdict(set)
    for figure in figures:
        known[(figure.source.value, figure.category, figure.year)].add(figure.quarter)
    return known


# --- who writes which figures ---------------------------------------------------------------------------------


def sources_for(user: User | None, park: Park) -> list[FigureSource]:
    """The sources whose figures `user` may write on `park` (`policy.may_edit_figures`), in their usual order."""
    return [source for source in FigureSource if may_edit_figures(user, park, source)]


def ensure_enters_figures(actor: User, park: Park) -> list[FigureSource]:
    """The sources `actor` may write on `park`, for the pages that enter or import figures; NotAllowed when there
    are none (a partner whose organisation keeps none of the sources, or who belongs to no organisation)."""
    ensure_can(actor, "figures.edit", park)
    sources = sources_for(actor, park)
    if not sources:
        raise NotAllowed(
            _(
                "Partners voeren alleen de cijfers van hun eigen organisatie in (politie, brandweer, gemeente of "
                "beveiliging). Uw organisatie heeft geen eigen cijfers voor dit park."
            )
        )
    return sources


def _whose(figure: Figure) -> dict[str, Any]:
    """For the audit row of a change to `figure`: whose figure it is (the kind of organisation that keeps its
    source) and who had entered the count it had."""
    return {
        "owner": figure.source.keeper.value,
        "entered_by": figure.entered_by.email if figure.entered_by is not None else None,
    }


# --- entering and deleting -------------------------------------------------------------------------------------


def save_figure(actor: User, park: Park, values: Mapping[str, Any], *, today: date) -> tuple[Figure, str]:
    """Enter or correct one count of the park: advisors, the municipality and admins of every source, a partner of
    their own organisation's source only (`policy.may_edit_figures`; NotAllowed otherwise, nothing written).

    The fields follow `check_figure`. A count for a source, category, year and quarter that the park already
    has replaces it; the audit row says whose figure it was and who had entered it. Refused (DomainError) when
    the fields are wrong, or when a year total would stand beside quarter counts of the same source, category
    and year (or the other way round). Returns the figure and what happened: "create", "update" or "unchanged".
    """
    ensure_can(actor, "figures.edit", park)
    clean, errors = check_figure(values, today=today)
    if errors:
        raise DomainError(" ".join(errors.values()))
    ensure_may_edit_figures(actor, park, FigureSource(clean["source"]))
    figures = _park_figures(park)
    known = _quarters_known(figures)
    problem = _mixing(known[(clean["source"], clean["category"], clean["year"])], clean)
    if problem:
        raise DomainError(problem)
    figure = next((f for f in figures if _key_of(f) == _key(clean)), None)
    if figure is None:
        figure = _add_figure(actor, park, clean)
        details = {**clean, "previous": None, "owner": figure.source.keeper.value}
        audit.record(actor, "inventory.figure_saved", figure, park=park, details=details)
        outcome = CREATE
    elif figure.count != clean["count"]:
        _correct_count(actor, figure, clean)
        outcome = UPDATE
    else:
        return figure, UNCHANGED
    db.session.flush()
    return figure, outcome


def _add_figure(actor: User, park: Park, clean: Mapping[str, Any]) -> Figure:
    figure = Figure(
        park=park,
        source=FigureSource(clean["source"]),
        category=clean["category"],
        year=clean["year"],
        quarter=clean["quarter"],
        count=clean["count"],
        entered_by_id=actor.id,
    )
    db.session.add(figure)
    return figure


def _correct_count(actor: User, figure: Figure, clean: Mapping[str, Any]) -> None:
    """Give `figure` the count of `clean` and audit the correction (entered by hand or imported): the count it
    had, whose figure it is and who had entered that count."""
    details = {**clean, "previous": figure.count, **_whose(figure)}
    figure.count = clean["count"]
    figure.entered_by_id = actor.id
    audit.record(actor, "inventory.figure_saved", figure, park=figure.park, details=details)


def delete_figure(actor: User, figure: Figure) -> None:
    """Remove one count of the park: advisors, the municipality and admins any, a partner one of their own
    organisation's source only (`policy.may_edit_figures`; NotAllowed otherwise). The audit row keeps the count,
    whose figure it was and who had entered it."""
    park = figure.park
    ensure_may_edit_figures(actor, park, figure.source)
    audit.record(
        actor,
        "inventory.figure_deleted",
        figure,
        park=park,
        details={
            "source": figure.source.value,
            "category": figure.category,
            "year": figure.year,
            "quarter": figure.quarter,
            "count": figure.count,
            **_whose(figure),
        },
    )
    db.session.delete(figure)
    db.session.flush()


# --- import: preview, then apply -------------------------------------------------------------------------------


def _too_many_rows(limit: int) -> str:
    return _(
        "Het bestand heeft meer dan %(n)s regels met cijfers. Splits het in kleinere bestanden.",
        n=format_number(limit),
    )


def _only_header() -> str:
    return _("Het bestand bevat geen cijfers: er staat alleen een kopregel in.")


FIGURE_FORMAT = TableFormat(
    aliases=HEADER_ALIASES,
    required=REQUIRED_FIELDS,
    headers=EXPORT_HEADERS,
    too_many_rows=_too_many_rows,
    only_header=_only_header,
)


def read_figures(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The data rows of an uploaded file of figures (see `imports.read_table`): CSV or Excel, with the columns
    bron/source, categorie/category, jaar/year, aantal/count and optionally kwartaal/quarter."""
    return read_table(filename, data, FIGURE_FORMAT).records


def _plan(
    park: Park,
    records: Iterable[tuple[int, Mapping[str, Any]]],
    *,
    today: date,
    sources: Collection[FigureSource],
) -> list[dict[str, Any]]:
    """Decide per row what the import would do, as if the rows were applied one after another.

    A row is a "create" (no count for that source, category, year and quarter yet), an "update" (another
    count), "unchanged", or a "reject" with the reason: invalid fields, a source that is not among the importer's
    `sources` (another organisation's figures), the same period earlier in the file, or a year total beside
    quarter counts (in the park or earlier in the file), or the other way round.
    """
    figures = _park_figures(park)
    by_key = {_key_of(figure): figure for figure in figures}
    known = _quarters_known(figures)
    seen: dict[tuple[str, str, int, int], int] = {}
    plan: list[dict[str, Any]] = []
    for number, values in records:
        entry: dict[str, Any] = {"row": number, "outcome": REJECT, "reason": "", "figure_id": None, "previous": None}
        plan.append(entry)
        clean, errors = check_figure(values, today=today)
        if errors:
            entry["values"] = {name: str(value)[:100] for name, value in values.items()}
            entry["reason"] = " ".join(errors.values())
            continue
        entry["values"] = clean
        source = FigureSource(clean["source"])
        if source not in sources:
            entry["reason"] = _(
                "De cijfers van de bron %(source)s zijn van een andere organisatie: u kunt alleen de cijfers van uw "
                "eigen organisatie inlezen.",
                source=source.label,
            )
            continue
        key = _key(clean)
        if key in seen:
            entry["reason"] = _("Dezelfde periode van deze categorie staat ook al op regel %(row)s.", row=seen[key])
            continue
        period = (clean["source"], clean["category"], clean["year"])
        problem = _mixing(known[period], clean)
        if problem:
            entry["reason"] = problem
            continue
        seen[key] = number
        known[period].add(clean["quarter"])
        figure = by_key.get(key)
        if figure is None:
            entry["outcome"] = CREATE
        else:
            entry["figure_id"] = figure.id
            entry["previous"] = figure.count
            entry["outcome"] = UPDATE if figure.count != clean["count"] else UNCHANGED
    return plan


FIGURE_IMPORT = ImportKind(
    model=FigureImport,
    permission="figures.edit",
    target="figure_id",
    records=_park_figures,
    checked_action="inventory.figures_checked",
    applied_action="inventory.figures_imported",
    changed_since_check=_l(
        "De cijfers zijn gewijzigd sinds het bestand werd gecontroleerd. Lees het bestand opnieuw in."
    ),
)


def preview_import(actor: User, park: Park, filename: str, data: bytes, *, now: datetime, today: date) -> FigureImport:
    """Read an uploaded file of figures and store what importing it would do, row by row; no figure changes.

    `figures.edit`, and the rows of sources the user may not write (`policy.may_edit_figures`: a partner's are
    their own organisation's) are rejected with the reason. The user's earlier unconfirmed previews for this park
    are dropped. Raises NotAllowed for a user who may write no source, and DomainError when the file cannot be
    read as a file of figures (see `read_figures`).
    """
    sources = ensure_enters_figures(actor, park)
    return imports.check_upload(
        FIGURE_IMPORT,
        actor,
        park,
        filename,
        data,
        check=lambda name, content: _plan(park, read_figures(name, content), today=today, sources=sources),
        now=now,
    )


def ensure_may_import(actor: User, figure_import: FigureImport) -> list[FigureSource]:
    """The sources `actor` may write on the import's park, when every row the checked file would write is of one
    of them; NotAllowed (nothing written) when a row is of another organisation's source, as in a preview that
    someone else checked."""
    park = figure_import.park
    sources = ensure_enters_figures(actor, park)
    for row in figure_import.rows:
        if row["outcome"] != REJECT:
            ensure_may_edit_figures(actor, park, FigureSource(row["values"]["source"]))
    return sources


def apply_import(actor: User, figure_import: FigureImport, *, now: datetime, today: date) -> dict[str, int]:
    """Carry out a checked import: add the new counts and correct the changed ones, in one transaction.

    Only with every row it writes of a source the actor may write (`ensure_may_import`; NotAllowed otherwise).
    Each corrected count is audited as a correction by hand is. Refused (DomainError) when it was applied before,
    or when the park's figures changed since the check so that the rows would now have other outcomes (the user
    checks the file again). Returns the counts per outcome.
    """
    park = figure_import.park
    sources = ensure_may_import(actor, figure_import)
    return imports.apply_checked(
        FIGURE_IMPORT,
        actor,
        figure_import,
        check=lambda records: _plan(park, records, today=today, sources=sources),
        update=lambda figure, values: _correct_count(actor, figure, values),
        create=lambda values: _add_figure(actor, park, values),
        now=now,
    )


# --- export ------------------------------------------------------------------------------------------------------


def _ordered(figures: Iterable[Figure]) -> list[Figure]:
    sources = list(FigureSource)

    def order(figure: Figure) -> tuple[int, int, str, int, int]:
        keys = list(CATEGORIES.get(figure.source, {}))
        position = keys.index(figure.category) if figure.category in keys else len(keys)
        return sources.index(figure.source), position, figure.category, figure.year, figure.quarter

    return sorted(figures, key=order)


def export_csv(park: Park) -> bytes:
    """The park's figures as CSV for Excel in Dutch (semicolons, UTF-8 with BOM): source and category as their
    keys, the category's description beside them for people. Importing it again changes nothing."""
    headers = [*EXPORT_HEADERS.values(), LABEL_HEADER]
    rows = [
        [
            figure.source.value,
            figure.category,
            figure.year,
            figure.quarter or "",
            figure.count,
            category_label(figure.source, figure.category),
        ]
        for figure in _ordered(_park_figures(park))
    ]
    return csv_bytes(headers, rows)


# --- the yearly view ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearCell:
    year: int
    #: the year figure, or the sum of its quarters; None without any figure
    total: int | None
    #: a year figure, or all four quarters (for a sum: every part complete)
    complete: bool = True
    #: what an incomplete total lacks
    note: str = ""
    #: the change against the year before, when both years are complete
    change: int | None = None
    change_pct: float | None = None

    @property
    def total_text(self) -> str:
        if self.total is None:
            return "—"
        return f"{format_number(self.total)} ({self.note})" if self.note else format_number(self.total)

    @property
    def change_text(self) -> str:
        if self.change is None:
            return "—"
        text = f"+{format_number(self.change)}" if self.change > 0 else format_number(self.change)
        if self.change_pct is not None:
            percent = format_percent(self.change_pct, "#,##0%")
            text += f" ({'+' if self.change_pct > 0 else ''}{percent})"
        return text


@dataclass(frozen=True)
class CategoryRow:
    key: str
    label: str
    cells: list[YearCell]


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    year_index: int
    label: str
    label_x: float


@dataclass(frozen=True)
class BarGroup:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    """An horizontal bar chart as SVG geometry (user units of the viewBox), drawn by the template."""

    width: int
    height: int
    #: (year, colour index) for the legend; the newest year always has the last colour
    years: list[tuple[int, int]]
    groups: list[BarGroup]
    description: str


@dataclass(frozen=True)
class SourceTable:
    source: FigureSource
    years: list[int]
    rows: list[CategoryRow]
    totals: CategoryRow
    chart: BarChart | None
    #: earlier years with figures that the table leaves out (they are in the export)
    older_years: int

    @property
    def headers(self) -> list[str]:
        """The table's column headers: the category, then per year its total and (after the first) the change."""
        headers = [_("Categorie")]
        for index, year in enumerate(self.years):
            headers.append(str(year))
            if index:
                headers.append(_("Verschil %(first)s-%(last)s", first=year - 1, last=year))
        return headers


def _cells(years: list[int], figures: Iterable[Figure]) -> list[YearCell]:
    by_year: dict[int, dict[int, int]] = defaultdict(dict)
    for figure in figures:
        by_year[figure.year][figure.quarter] = figure.count
    cells: list[YearCell] = []
    for year in years:
        counts = by_year.get(year)
        if not counts:
            cells.append(YearCell(year, None))
        elif 0 in counts:
            cells.append(YearCell(year, counts[0]))
        elif len(counts) == 4:
            cells.append(YearCell(year, sum(counts.values())))
        else:
            note = _("%(n)s van 4 kwartalen", n=len(counts))
            cells.append(YearCell(year, sum(counts.values()), complete=False, note=note))
    return _with_changes(cells)


def _with_changes(cells: list[YearCell]) -> list[YearCell]:
    result: list[YearCell] = []
    before: YearCell | None = None
    for cell in cells:
        if (
            before is not None
            and before.total is not None
            and cell.total is not None
            and before.complete
            and cell.complete
        ):
            change = cell.total - before.total
            pct = change / before.total if before.total else None
            cell = replace(cell, change=change, change_pct=pct)
        result.append(cell)
        before = cell
    return result


def _sum_cells(years: list[int], rows: list[CategoryRow]) -> list[YearCell]:
    cells: list[YearCell] = []
    for index, year in enumerate(years):
        known = [row.cells[index] for row in rows if row.cells[index].total is not None]
        if not known:
            cells.append(YearCell(year, None))
            continue
        total = sum(cell.total or 0 for cell in known)
        if all(cell.complete for cell in known):
            cells.append(YearCell(year, total))
        else:
            cells.append(YearCell(year, total, complete=False, note=_("onvolledig")))
    return _with_changes(cells)


CHART_WIDTH = 700
_BAR_HEIGHT = 14
_BAR_GAP = 4
_LABEL_HEIGHT = 20
_GROUP_GAP = 14
_VALUE_ROOM = 250  # room right of the longest bar for its label


def _chart(source: FigureSource, years: list[int], rows: list[CategoryRow]) -> BarChart | None:
    shown = years[-CHART_YEARS:]
    offset = len(years) - len(shown)
    first_colour = CHART_YEARS - len(shown) + 1
    rows = [row for row in rows if any(cell.total is not None for cell in row.cells[offset:])]
    if not rows:
        return None
    largest = max(cell.total or 0 for row in rows for cell in row.cells[offset:]) or 1
    scale = (CHART_WIDTH - _VALUE_ROOM) / largest
    groups: list[BarGroup] = []
    y = 0.0
    for row in rows:
        label_y = y + _LABEL_HEIGHT - 6
        y += _LABEL_HEIGHT
        bars = []
        for index, cell in enumerate(row.cells[offset:]):
            width = (cell.total or 0) * scale
            bars.append(
                Bar(
                    y=y,
                    width=max(width, 1.0) if cell.total is not None else 0.0,
                    year_index=first_colour + index,
                    label=f"{cell.year}: {cell.total_text}",
                    label_x=width + 6,
                )
            )
            y += _BAR_HEIGHT + _BAR_GAP
        groups.append(BarGroup(label=row.label, label_y=label_y, bars=bars))
        y += _GROUP_GAP
    description = _(
        "Staafdiagram van %(source)s: per categorie het aantal in %(years)s. De cijfers staan ook in de tabel.",
        source=source.label,
        years=", ".join(str(year) for year in shown),
    )
    legend = [(year, first_colour + index) for index, year in enumerate(shown)]
    return BarChart(width=CHART_WIDTH, height=int(y), years=legend, groups=groups, description=description)


def yearly_tables(park: Park) -> list[SourceTable]:
    """Per source with figures: its categories x years (a year's total is the year figure or the sum of its
    quarters), the change against the year before (only between two complete years), the sum of the
    categories, and a bar chart of the most recent years."""
    figures = _park_figures(park)
    tables: list[SourceTable] = []
    for source in FigureSource:
        mine = [figure for figure in figures if figure.source == source]
        if not mine:
            continue
        all_years = list(range(min(f.year for f in mine), max(f.year for f in mine) + 1))
        years = all_years[-TABLE_YEARS:]
        older = len({f.year for f in mine if f.year < years[0]})
        by_category: dict[str, list[Figure]] = defaultdict(list)
        for figure in mine:
            by_category[figure.category].append(figure)
        keys = [key for key in CATEGORIES.get(source, {}) if key in by_category]
        keys += sorted(key for key in by_category if key not in keys)
        rows = [
            CategoryRow(key, category_label(source, key), _cells(years, by_category[key]))
            for key in keys
            if any(f.year in years for f in by_category[key])
        ]
        totals = CategoryRow("", _("Totaal"), _sum_cells(years, rows))
        tables.append(SourceTable(source, years, rows, totals, _chart(source, years, rows), older))
    return tables


def figure_list(park: Park) -> list[Figure]:
    """Every count of the park, by source, category (in the order of the list), year and quarter."""
    return _ordered(_park_figures(park))
