"""Partner figures: the rules of a count, entry, import through a preview, export and the yearly view."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError, NotAllowed
from app.inventory import figures
from app.inventory.models import Figure, FigureImport, FigureSource
from app.stakeholders.models import OrganisationType
from tests.factories import make_member, make_partner
from tests.inventory.conftest import TODAY

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
P = FigureSource.POLITIE


def _values(**overrides) -> dict[str, object]:
    return {
        "source": "politie",
        "category": "inbraak_bedrijf",
        "year": "2025",
        "quarter": "",
        "count": "12",
    } | overrides


def _add(park, category="inbraak_bedrijf", year=2025, quarter=0, count=1, source=P) -> Figure:
    from app.extensions import db

    figure = Figure(park=park, source=source, category=category, year=year, quarter=quarter, count=count)
    db.session.add(figure)
    db.session.flush()
    return figure


def _figures(db, park) -> list[tuple[str, str, int, int, int]]:
    db.session.expire_all()
    rows = db.session.scalars(select(Figure).where(Figure.park_id == park.id))
    return sorted((f.source.value, f.category, f.year, f.quarter, f.count) for f in rows)


# --- the rules of one figure ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({}, {"source": "politie", "category": "inbraak_bedrijf", "year": 2025, "quarter": 0, "count": 12}),
        ({"source": "Politie", "category": "Inbraak in bedrijfspand"}, {"category": "inbraak_bedrijf"}),
        ({"source": "police", "category": "  INBRAAK_BEDRIJF "}, {"source": "politie"}),
        ({"source": "Meldingen openbare ruimte (MOR)", "category": "Afvaldumping"}, {"source": "mor"}),
        ({"source": "fire brigade", "category": "buitenbrand"}, {"source": "brandweer"}),
        ({"quarter": "Q3"}, {"quarter": 3}),
        ({"quarter": "kwartaal 2"}, {"quarter": 2}),
        ({"quarter": "0"}, {"quarter": 0}),
        ({"quarter": "jaar"}, {"quarter": 0}),
        ({"count": "0"}, {"count": 0}),
        ({"count": "1 234"}, {"count": 1234}),
        ({"year": 2000}, {"year": 2000}),
        ({"year": "2026"}, {"year": 2026}),
    ],
)
def test_a_figure_is_normalised(given, expected):
    clean, errors = figures.check_figure(_values(**given), today=TODAY)
    assert errors == {}
    assert expected.items() <= clean.items()
    assert figures.check_figure(clean, today=TODAY) == (clean, {})  # clean values check again as themselves


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"source": ""}, "source", "Kies een bron."),
        ({"source": "krant"}, "source", "Onbekende bron krant"),
        ({"category": ""}, "category", "Kies een categorie."),
        ({"category": "afvaldumping"}, "category", "hoort niet bij de bron Politie"),
        ({"year": "1999"}, "year", "tussen 2000 en 2026"),
        ({"year": "2027"}, "year", "tussen 2000 en 2026"),
        ({"year": "25"}, "year", "tussen 2000 en 2026"),
        ({"quarter": "5"}, "quarter", "1, 2, 3 of 4"),
        ({"quarter": "Q0x"}, "quarter", "1, 2, 3 of 4"),
        ({"count": ""}, "count", "Vul het aantal in."),
        ({"count": "-1"}, "count", "heel getal van 0"),
        ({"count": "2,5"}, "count", "heel getal van 0"),
        ({"count": "1000001"}, "count", "heel getal van 0"),
    ],
)
def test_a_wrong_field_gets_its_own_message(given, field, message):
    _clean, errors = figures.check_figure(_values(**given), today=TODAY)
    assert list(errors) == [field]
    assert message in errors[field]


# --- entering -----------------------------------------------------------------------------------------------------


def test_a_count_is_entered_then_corrected_then_unchanged_and_audited(db, park, advisor):
    figure, outcome = figures.save_figure(advisor, park, _values(), today=TODAY)
    assert outcome == "create" and figure.count == 12 and figure.entered_by_id == advisor.id
    again, outcome = figures.save_figure(advisor, park, _values(count="15"), today=TODAY)
    assert outcome == "update" and again is figure and figure.count == 15
    _same, outcome = figures.save_figure(advisor, park, _values(count="15"), today=TODAY)
    assert outcome == "unchanged"
    assert _figures(db, park) == [("politie", "inbraak_bedrijf", 2025, 0, 15)]
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "inventory.figure_saved").order_by(AuditEvent.id)
    ).all()
    assert [(e.details["count"], e.details["previous"]) for e in events] == [(12, None), (15, 12)]


def test_a_year_total_and_quarters_of_the_same_category_and_year_are_never_mixed(db, park, advisor):
    figures.save_figure(advisor, park, _values(quarter="1", count="3"), today=TODAY)
    with pytest.raises(DomainError, match="al cijfers per kwartaal"):
        figures.save_figure(advisor, park, _values(quarter="", count="10"), today=TODAY)
    # another year, category or source is no mix
    figures.save_figure(advisor, park, _values(year="2024"), today=TODAY)
    figures.save_figure(advisor, park, _values(category="vernieling"), today=TODAY)
    with pytest.raises(DomainError, match="al een jaartotaal"):
        figures.save_figure(advisor, park, _values(year="2024", quarter="2"), today=TODAY)
    assert len(_figures(db, park)) == 3


def test_invalid_figures_are_refused_with_every_problem(db, park, advisor):
    with pytest.raises(DomainError) as error:
        figures.save_figure(advisor, park, _values(year="1990", count="-3"), today=TODAY)
    assert "tussen 2000 en 2026" in error.value.message and "heel getal" in error.value.message
    assert _figures(db, park) == []


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.MUNICIPALITY, Role.PARTNER])
def test_managers_and_partners_enter_figures(db, park, role):
    user = make_partner(park) if role == Role.PARTNER else make_member(role, park)
    figures.save_figure(user, park, _values(), today=TODAY)
    assert len(_figures(db, park)) == 1


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.CAMERA_OFFICER, Role.AUDITOR])
def test_others_do_not_enter_or_delete_figures(db, park, other_park, role):
    figure = _add(park)
    with pytest.raises(NotAllowed):
        figures.save_figure(make_member(role, park), park, _values(), today=TODAY)
    with pytest.raises(NotAllowed):
        figures.delete_figure(make_member(role, park), figure)
    with pytest.raises(NotAllowed):  # a partner of another park
        figures.save_figure(make_member(Role.PARTNER, other_park), park, _values(), today=TODAY)


def test_a_figure_is_deleted_and_audited(db, park, advisor):
    figure = _add(park, count=4)
    figures.delete_figure(advisor, figure)
    assert _figures(db, park) == []
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "inventory.figure_deleted")).one()
    assert event.details["count"] == 4 and event.park_id == park.id


# --- whose figures: a partner writes only their own organisation's ---------------------------------------------


def _events(db, action: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def test_a_partner_writes_only_the_figures_of_their_own_organisation(db, park):
    police = make_partner(park, OrganisationType.POLITIE)
    fire = make_partner(park, OrganisationType.BRANDWEER)
    municipal = _add(park, category="afvaldumping", count=4, source=FigureSource.MOR)
    figures.save_figure(police, park, _values(), today=TODAY)
    figures.save_figure(fire, park, _values(source="brandweer", category="buitenbrand", count="3"), today=TODAY)
    # the police may neither create the fire brigade's figures nor overwrite or delete the municipality's
    with pytest.raises(NotAllowed, match="De cijfers van de bron Brandweer zijn van een andere organisatie"):
        figures.save_figure(police, park, _values(source="brandweer", category="buitenbrand", count="30"), today=TODAY)
    with pytest.raises(NotAllowed, match=r"bron Meldingen openbare ruimte \(MOR\) zijn van een andere organisatie"):
        figures.save_figure(police, park, _values(source="mor", category="afvaldumping", count="40"), today=TODAY)
    with pytest.raises(NotAllowed, match="zijn van een andere organisatie"):
        figures.delete_figure(police, municipal)
    assert _figures(db, park) == [
        ("brandweer", "buitenbrand", 2025, 0, 3),
        ("mor", "afvaldumping", 2025, 0, 4),
        ("politie", "inbraak_bedrijf", 2025, 0, 12),
    ]
    assert len(_events(db, "inventory.figure_saved")) == 2 and _events(db, "inventory.figure_deleted") == []
    assert figures.sources_for(police, park) == [FigureSource.POLITIE]
    assert figures.sources_for(make_partner(park, OrganisationType.GEMEENTE), park) == [FigureSource.MOR]
    assert figures.sources_for(make_member(Role.ADVISOR, park), park) == list(FigureSource)


@pytest.mark.parametrize("keeps", [OrganisationType.DOUANE, None])
def test_a_partner_whose_organisation_keeps_no_source_writes_no_figures(db, park, keeps):
    partner = make_partner(park, keeps) if keeps else make_member(Role.PARTNER, park)
    assert figures.sources_for(partner, park) == []
    with pytest.raises(NotAllowed, match="Uw organisatie heeft geen eigen cijfers voor dit park"):
        figures.ensure_enters_figures(partner, park)
    with pytest.raises(NotAllowed):
        figures.save_figure(partner, park, _values(), today=TODAY)
    assert _figures(db, park) == []


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.MUNICIPALITY])
def test_managers_correct_and_delete_any_figure_and_the_audit_says_whose_it_was(db, park, role):
    police = make_partner(park, email="peter@politie.example")
    fire = make_partner(park, OrganisationType.BRANDWEER, email="bram@brandweer.example")
    figures.save_figure(police, park, _values(), today=TODAY)
    fire_figure, _outcome = figures.save_figure(
        fire, park, _values(source="brandweer", category="buitenbrand", count="3"), today=TODAY
    )
    manager = make_member(role, park)
    figures.save_figure(manager, park, _values(count="13"), today=TODAY)
    figures.delete_figure(manager, fire_figure)
    created, _fire_created, corrected = _events(db, "inventory.figure_saved")
    assert created.details["owner"] == "politie" and created.details["previous"] is None
    assert corrected.actor_id == manager.id
    assert {k: corrected.details[k] for k in ("count", "previous", "owner", "entered_by")} == {
        "count": 13,
        "previous": 12,
        "owner": "politie",
        "entered_by": "peter@politie.example",
    }
    (deleted,) = _events(db, "inventory.figure_deleted")
    assert deleted.actor_id == manager.id
    assert (deleted.details["owner"], deleted.details["entered_by"]) == ("brandweer", "bram@brandweer.example")
    assert _figures(db, park) == [("politie", "inbraak_bedrijf", 2025, 0, 13)]


# --- import -------------------------------------------------------------------------------------------------------

GOOD_CSV = (
    "bron;categorie;jaar;kwartaal;aantal\r\n"
    "politie;inbraak_bedrijf;2024;;14\r\n"
    "Politie;Vernieling en graffiti;2024;;6\r\n"
    "mor;afvaldumping;2025;1;3\r\n"
    "mor;afvaldumping;2025;2;5\r\n"
)


def _preview(park, text: str | bytes, *, filename="cijfers.csv", actor=None) -> FigureImport:
    data = text.encode("utf-8") if isinstance(text, str) else text
    actor = actor or make_member(Role.ADVISOR, park)
    return figures.preview_import(actor, park, filename, data, now=NOW, today=TODAY)


def _outcomes(figure_import: FigureImport) -> list[str]:
    return [row["outcome"] for row in figure_import.rows]


def test_a_good_file_previews_without_writing_then_applies(db, park, advisor):
    preview = _preview(park, GOOD_CSV, actor=advisor)
    assert _outcomes(preview) == ["create"] * 4
    assert _figures(db, park) == []
    counts = figures.apply_import(advisor, preview, now=NOW, today=TODAY)
    assert counts == {"create": 4, "update": 0, "unchanged": 0, "reject": 0}
    assert _figures(db, park) == [
        ("mor", "afvaldumping", 2025, 1, 3),
        ("mor", "afvaldumping", 2025, 2, 5),
        ("politie", "inbraak_bedrijf", 2024, 0, 14),
        ("politie", "vernieling", 2024, 0, 6),
    ]
    assert preview.applied_at == NOW
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.park_id == park.id)).all()
    assert actions == ["inventory.figures_checked", "inventory.figures_imported"]


def test_known_figures_are_updated_or_unchanged(db, park, advisor):
    _add(park, year=2024, count=10)
    _add(park, category="vernieling", year=2024, count=6)
    preview = _preview(park, GOOD_CSV)
    assert _outcomes(preview)[:2] == ["update", "unchanged"]
    assert preview.rows[0]["previous"] == 10
    figures.apply_import(advisor, preview, now=NOW, today=TODAY)
    assert ("politie", "inbraak_bedrijf", 2024, 0, 14) in _figures(db, park)


def test_bad_rows_are_rejected_with_their_reason_and_skipped(db, park, advisor):
    _add(park, category="vernieling", year=2023, quarter=0, count=2)
    text = (
        "source,category,year,quarter,count\n"
        "police,inbraak_bedrijf,2024,,14\n"  # 2: good (English headers, commas)
        "politie,afvaldumping,2024,,1\n"  # 3: category of another source
        "politie,inbraak_bedrijf,2024,,15\n"  # 4: same period as row 2
        "politie,inbraak_bedrijf,2024,1,3\n"  # 5: a quarter beside row 2's year total
        "politie,vernieling,2023,2,1\n"  # 6: a quarter beside the park's year total
        "politie,vernieling,1999,,1\n"  # 7: year out of range
        "politie,vernieling,2024,,veel\n"  # 8: not a number
        "krant,inbraak_bedrijf,2024,,1\n"  # 9: unknown source
    )
    preview = _preview(park, text)
    assert _outcomes(preview) == ["create"] + ["reject"] * 7
    reasons = [row["reason"] for row in preview.rows[1:]]
    assert "hoort niet bij de bron Politie" in reasons[0]
    assert reasons[1] == "Dezelfde periode van deze categorie staat ook al op regel 2."
    assert "al een jaartotaal" in reasons[2] and "al een jaartotaal" in reasons[3]
    assert "tussen 2000 en 2026" in reasons[4]
    assert "heel getal" in reasons[5]
    assert "Onbekende bron krant" in reasons[6]
    figures.apply_import(advisor, preview, now=NOW, today=TODAY)
    assert len(_figures(db, park)) == 2


def test_excel_csv_in_windows_1252_with_dutch_labels(db, park):
    text = "Bron;Categorie;Jaar;Kwartaal;Aantal\r\nmor;Vernielingen (straatmeubilair, bebording);2024;K4;7\r\n"
    text += "brandweer;Buitenbrand (container, afval, voertuig);2024;;2\r\nmor;Overlast;2024;;1\r\n"
    data = text.encode("cp1252")
    preview = _preview(park, data)
    assert _outcomes(preview) == ["create"] * 3
    assert preview.rows[0]["values"] == {
        "source": "mor",
        "category": "vernielingen",
        "year": 2024,
        "quarter": 4,
        "count": 7,
    }


def test_xlsx_with_numbers_as_numbers(db, park):
    workbook = Workbook()
    workbook.active.append(["Bron", "Categorie", "Jaar", "Kwartaal", "Aantal"])
    workbook.active.append(["politie", "inbraak_bedrijf", 2024, None, 14.0])
    workbook.active.append(["politie", "inbraak_bedrijf", 2025, 1, 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = _preview(park, buffer.getvalue(), filename="Cijfers.XLSX")
    assert _outcomes(preview) == ["create", "create"]
    assert preview.rows[0]["values"]["count"] == 14 and preview.rows[1]["values"]["quarter"] == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Het bestand is leeg."),
        (b"bron;categorie;jaar;aantal\r\n", "geen cijfers: er staat alleen een kopregel"),
        (b"bron;jaar;aantal\r\npolitie;2024;1\r\n", "ontbreken de kolommen categorie"),
        (b"naam;straat\r\nA;B\r\n", "ontbreken de kolommen bron, categorie, jaar, aantal"),
    ],
)
def test_files_that_are_no_figures_are_refused(db, park, data, message):
    with pytest.raises(DomainError) as error:
        _preview(park, data)
    assert message in error.value.message
    assert db.session.scalars(select(FigureImport)).all() == []


def test_confirming_twice_is_refused(db, park, advisor):
    preview = _preview(park, GOOD_CSV, actor=advisor)
    figures.apply_import(advisor, preview, now=NOW, today=TODAY)
    with pytest.raises(DomainError, match="al verwerkt"):
        figures.apply_import(advisor, preview, now=NOW, today=TODAY)
    assert len(_figures(db, park)) == 4


def test_a_stale_preview_changes_nothing(db, park, advisor):
    preview = _preview(park, GOOD_CSV, actor=advisor)
    _add(park, year=2024, count=1)  # someone entered the same period since
    with pytest.raises(DomainError, match="gewijzigd sinds het bestand werd gecontroleerd"):
        figures.apply_import(advisor, preview, now=NOW, today=TODAY)
    assert _figures(db, park) == [("politie", "inbraak_bedrijf", 2024, 0, 1)]


def test_a_new_preview_replaces_the_users_unconfirmed_one(db, park, advisor):
    first = _preview(park, GOOD_CSV, actor=advisor)
    other = _preview(park, GOOD_CSV)  # someone else's stays
    second = _preview(park, GOOD_CSV, actor=advisor)
    remaining = set(db.session.scalars(select(FigureImport.id)))
    assert remaining == {other.id, second.id} and first.id not in remaining


def test_only_editors_import(db, park):
    preview = _preview(park, GOOD_CSV)
    entrepreneur = make_member(Role.ENTREPRENEUR, park)
    with pytest.raises(NotAllowed):
        _preview(park, GOOD_CSV, actor=entrepreneur)
    with pytest.raises(NotAllowed):
        figures.apply_import(entrepreneur, preview, now=NOW, today=TODAY)


def test_a_partners_import_takes_only_their_own_organisations_rows(db, park):
    police = make_partner(park)
    preview = _preview(park, GOOD_CSV, actor=police)
    assert _outcomes(preview) == ["create", "create", "reject", "reject"]
    assert preview.rows[2]["reason"] == (
        "De cijfers van de bron Meldingen openbare ruimte (MOR) zijn van een andere organisatie: u kunt alleen de "
        "cijfers van uw eigen organisatie inlezen."
    )
    figures.apply_import(police, preview, now=NOW, today=TODAY)
    assert [figure[0] for figure in _figures(db, park)] == ["politie", "politie"]


def test_a_partner_may_not_apply_a_preview_with_another_organisations_rows(db, park, advisor):
    preview = _preview(park, GOOD_CSV, actor=advisor)  # police and MOR rows
    with pytest.raises(NotAllowed, match="Meldingen openbare ruimte"):
        figures.apply_import(make_partner(park), preview, now=NOW, today=TODAY)
    assert _figures(db, park) == [] and preview.applied_at is None


def test_an_imported_correction_is_audited_with_whose_figure_it_was(db, park, advisor):
    fire = make_partner(park, OrganisationType.BRANDWEER, email="bram@brandweer.example")
    figures.save_figure(fire, park, _values(source="brandweer", category="buitenbrand", count="2"), today=TODAY)
    preview = _preview(park, "bron;categorie;jaar;kwartaal;aantal\r\nbrandweer;buitenbrand;2025;;5\r\n", actor=advisor)
    figures.apply_import(advisor, preview, now=NOW, today=TODAY)
    (correction,) = [e for e in _events(db, "inventory.figure_saved") if e.actor_id == advisor.id]
    assert (correction.details["previous"], correction.details["count"]) == (2, 5)
    assert (correction.details["owner"], correction.details["entered_by"]) == ("brandweer", "bram@brandweer.example")


def test_too_many_rows(db, park, monkeypatch):
    from app import imports

    monkeypatch.setattr(imports, "MAX_IMPORT_ROWS", 2)
    with pytest.raises(DomainError, match="meer dan 2 regels met cijfers"):
        _preview(park, GOOD_CSV)


# --- export ------------------------------------------------------------------------------------------------------


def test_the_export_imports_back_unchanged(db, park, advisor):
    figures.apply_import(advisor, _preview(park, GOOD_CSV, actor=advisor), now=NOW, today=TODAY)
    _add(park, source=FigureSource.BEVEILIGING, category="alarm", year=2023, count=0)
    data = figures.export_csv(park)
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "bron;categorie;jaar;kwartaal;aantal;omschrijving"
    assert "politie;inbraak_bedrijf;2024;;14;Inbraak in bedrijfspand" in text
    assert "mor;afvaldumping;2025;1;3;Afvaldumping" in text
    again = _preview(park, data, actor=advisor)
    assert set(_outcomes(again)) == {"unchanged"} and len(again.rows) == 5


# --- the yearly view ---------------------------------------------------------------------------------------------


def test_year_totals_are_the_year_figure_or_the_sum_of_quarters_with_the_change(db, park):
    _add(park, year=2023, count=10)
    for quarter, count in ((1, 3), (2, 4), (3, 2), (4, 5)):
        _add(park, year=2024, quarter=quarter, count=count)
    _add(park, year=2025, quarter=1, count=2)
    _add(park, category="vernieling", year=2023, count=4)
    _add(park, category="vernieling", year=2024, count=2)
    _add(park, source=FigureSource.MOR, category="afvaldumping", year=2025, count=0)
    police, mor = figures.yearly_tables(park)
    assert (police.source, mor.source) == (FigureSource.POLITIE, FigureSource.MOR)
    assert police.years == [2023, 2024, 2025]
    burglary, vandalism = police.rows
    assert burglary.label == "Inbraak in bedrijfspand"
    assert [c.total for c in burglary.cells] == [10, 14, 2]
    assert [c.change for c in burglary.cells] == [None, 4, None]  # 2025 has one quarter: no change yet
    assert [c.change_text for c in burglary.cells] == ["—", "+4 (+40%)", "—"]
    assert burglary.cells[2].total_text == "2 (1 van 4 kwartalen)"
    assert [c.change_text for c in vandalism.cells] == ["—", "-2 (-50%)", "—"]
    assert vandalism.cells[2].total_text == "—"
    assert [c.total for c in police.totals.cells] == [14, 16, 2]
    assert police.totals.cells[1].change_text == "+2 (+14%)"
    assert police.totals.cells[2].total_text == "2 (onvolledig)"
    assert mor.rows[0].cells[0].change_text == "—"


def test_a_change_from_zero_has_no_percentage(db, park):
    _add(park, year=2024, count=0)
    _add(park, year=2025, count=3)
    (table,) = figures.yearly_tables(park)
    assert table.rows[0].cells[1].change_text == "+3"


def test_the_table_shows_the_recent_years_and_counts_the_older(db, park):
    for year in range(2015, 2026):
        _add(park, year=year, count=year - 2000)
    (table,) = figures.yearly_tables(park)
    assert table.years == list(range(2020, 2026)) and table.older_years == 5


def test_the_chart_has_a_bar_with_a_text_label_per_category_and_year(db, park):
    _add(park, year=2022, count=1)
    _add(park, year=2024, count=8)
    _add(park, year=2025, count=4)
    _add(park, category="vernieling", year=2025, count=2)
    (table,) = figures.yearly_tables(park)
    chart = table.chart
    assert [year for year, _colour in chart.years] == [2023, 2024, 2025]
    assert [colour for _year, colour in chart.years] == [1, 2, 3]
    assert [g.label for g in chart.groups] == ["Inbraak in bedrijfspand", "Vernieling en graffiti"]
    burglary = chart.groups[0].bars
    assert [b.label for b in burglary] == ["2023: —", "2024: 8", "2025: 4"]
    assert burglary[0].width == 0 and burglary[1].width == figures.CHART_WIDTH - 250
    assert burglary[2].width == pytest.approx(burglary[1].width / 2)
    assert "2023, 2024, 2025" in chart.description


def test_no_figures_no_tables(db, park):
    assert figures.yearly_tables(park) == []
    assert db.session.scalar(select(func.count(Figure.id))) == 0
