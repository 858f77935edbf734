"""Importing a register file through a preview, and exporting the register."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError
from app.parks import companies
from app.parks.models import Company, CompanyImport
from tests import factories
from tests.factories import make_member

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 3, 2, 9, 45, tzinfo=UTC)

GOOD_CSV = (
    "name,kvk,street,house_number,addition,postcode,sector,email,latitude,longitude\n"
    "Bakkerij De Korenaar,30123456,Industrieweg,12,,3542 AD,Voeding,info@korenaar.nl,52.105,5.06\n"
    "Transport Van Dam,,Industrieweg,14,a,3542ad,Logistiek,,,\n"
    '"Smit, Staal & Zn",30654321,Zeeweg,3,,3542 AE,Metaal,smit@staal.nl,52.1,5.05\n'
)


def make_company(park, **overrides) -> Company:
    """The company of the sample file's second row (Industrieweg 14a), unless overridden."""
    return factories.make_company(
        park, **({"house_number": 14, "house_number_addition": "a", "sector": "Logistiek"} | overrides)
    )


def _outcomes(company_import: CompanyImport) -> list[str]:
    return [row["outcome"] for row in company_import.rows]


def _company_count(db) -> int:
    return db.session.scalar(select(func.count(Company.id)))


def _preview(park, text: str | bytes, *, filename="bedrijven.csv", actor=None, now=NOW) -> CompanyImport:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return companies.preview_import(actor or make_member(Role.ADVISOR, park), park, filename, data, now=now)


def _big_upload(client, url: str, data: bytes, filename: str):
    """Post a large file; encoded here because the test client leaves its own temporary file for it open."""
    upload = FileStorage(io.BytesIO(data), filename=filename, content_type="text/csv")
    boundary, body = encode_multipart({"csrf_token": client.csrf_token(), "file": upload})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading files ------------------------------------------------------------------------------------------


def test_good_csv_previews_without_writing_then_applies(db, park):
    advisor = make_member(Role.ADVISOR, park)
    preview = _preview(park, GOOD_CSV, actor=advisor)
    assert _outcomes(preview) == ["create", "create", "create"]
    assert [row["row"] for row in preview.rows] == [2, 3, 4]
    first = preview.rows[0]["values"]
    assert (first["postcode"], first["house_number"], first["lat"], first["lon"]) == ("3542AD", 12, 52.105, 5.06)
    assert preview.rows[2]["values"]["name"] == "Smit, Staal & Zn"
    assert preview.created_at == NOW and preview.applied_at is None and preview.user_id == advisor.id
    assert _company_count(db) == 0  # the preview writes no companies

    counts = companies.apply_import(advisor, preview, now=LATER)
    assert counts == {"create": 3, "update": 0, "unchanged": 0, "reject": 0}
    assert preview.applied_at == LATER
    names = db.session.scalars(select(Company.name).order_by(Company.name)).all()
    assert names == ["Bakkerij De Korenaar", "Smit, Staal & Zn", "Transport Van Dam"]
    dam = db.session.scalars(select(Company).where(Company.name == "Transport Van Dam")).one()
    assert (dam.house_number, dam.house_number_addition, dam.kvk_number, dam.email, dam.lat) == (
        14,
        "a",
        None,
        None,
        None,
    )
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "companies.imported")).one()
    assert event.details == {"filename": "bedrijven.csv", "create": 3, "update": 0, "unchanged": 0, "reject": 0}


def test_bad_rows_are_rejected_with_their_reasons(db, park):
    csv = (
        "naam;kvk;straat;huisnummer;postcode;e-mail;lat;lon\n"
        "Goed BV;;Industrieweg;1;3542 AD;;;\n"
        ";;Industrieweg;2;3542 AD;;;\n"
        "Kort KvK;1234;Industrieweg;3;3542 AD;;;\n"
        "Nul-postcode;;Industrieweg;4;0542 AD;;;\n"
        "SS-postcode;;Industrieweg;5;3542 SS;;;\n"
        "Geen nummer;;Industrieweg;nul;3542 AD;;;\n"
        "Slechte mail;;Industrieweg;6;3542 AD;geen mail;;\n"
        "Half punt;;Industrieweg;7;3542 AD;;52.1;\n"
        "Parijs;;Industrieweg;8;3542 AD;;48.85;2.35\n"
        "Alles mis;12;;;;;;\n"
    )
    preview = _preview(park, csv)
    assert _outcomes(preview) == ["create"] + ["reject"] * 9
    reasons = {row["values"].get("name") or f"row {row['row']}": row["reason"] for row in preview.rows[1:]}
    assert reasons["row 3"] == "Vul de naam in."
    assert reasons["Kort KvK"] == "Een KvK-nummer bestaat uit 8 cijfers."
    assert "niet beginnend met 0" in reasons["Nul-postcode"]
    assert reasons["SS-postcode"] == "Een postcode eindigt nooit op SA, SD of SS."
    assert reasons["Geen nummer"] == "Het huisnummer is een getal van 1 tot en met 99999."
    assert reasons["Slechte mail"] == "Dit is geen geldig e-mailadres."
    assert "allebei in" in reasons["Half punt"]
    assert "niet in Nederland" in reasons["Parijs"]
    for part in ("8 cijfers", "Vul de straat in.", "Vul het huisnummer in.", "Vul de postcode in."):
        assert part in reasons["Alles mis"]
    # the rejected rows are skipped when the import is applied
    companies.apply_import(make_member(Role.ADVISOR, park), preview, now=LATER)
    assert db.session.scalars(select(Company.name)).all() == ["Goed BV"]


def test_duplicate_rows_in_the_file_are_rejected(db, park):
    csv = (
        "naam,kvk,straat,huisnummer,postcode\n"
        "Bakkerij,30123456,Industrieweg,12,3542 AD\n"
        "Bakkerij,30123456,Industrieweg,12,3542 AD\n"  # the same row again
        "BAKKERIJ,,Industrieweg,12,3542ad\n"  # the same company, spelled differently
        "Andere naam,30123456,Zeeweg,1,3542 AE\n"  # the same KvK number
        "Kapper,,Industrieweg,12,3542 AD\n"  # another company at the same address: fine
    )
    preview = _preview(park, csv)
    assert _outcomes(preview) == ["create", "reject", "reject", "reject", "create"]
    assert preview.rows[1]["reason"] == "Hetzelfde bedrijf staat ook al op regel 2 van het bestand."
    assert preview.rows[2]["reason"] == "Hetzelfde bedrijf staat ook al op regel 2 van het bestand."
    assert preview.rows[3]["reason"] == "Het KvK-nummer 30123456 staat ook al op regel 2 van het bestand."
    companies.apply_import(make_member(Role.ADVISOR, park), preview, now=LATER)
    assert _company_count(db) == 2


def test_excel_dutch_csv_in_windows_1252_with_semicolons(db, park):
    # What Excel in a Dutch locale writes with "CSV (gescheiden door lijstscheidingsteken)"
    text = (
        "Naam;KvK-nummer;Straat;Huisnummer;Toevoeging;Postcode;Branche;E-mailadres;Breedtegraad;Lengtegraad\r\n"
        "Café De Hoek;30123456;Industrieweg;12;;3542 AD;Horeca;info@dehoek.nl;52,105;5,06\r\n"
        "Crème & Brûlée;;Zeeweg;3;B;3542 AE;Horeca;;;\r\n"
    )
    data = text.encode("cp1252")
    assert b"\xe9" in data  # é as one byte, not UTF-8
    preview = _preview(park, data)
    assert _outcomes(preview) == ["create", "create"]
    first, second = preview.rows[0]["values"], preview.rows[1]["values"]
    assert (first["name"], first["sector"], first["lat"], first["lon"]) == ("Café De Hoek", "Horeca", 52.105, 5.06)
    assert (second["name"], second["house_number_addition"]) == ("Crème & Brûlée", "B")


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbfnaam;straat;huisnummer;postcode\r\nCaf\xc3\xa9 De Hoek;Industrieweg;12;3542 AD\r\n",  # UTF-8 BOM
        b"sep=;\r\nnaam;straat;huisnummer;postcode\r\nCaf\xc3\xa9 De Hoek;Industrieweg;12;3542 AD\r\n",  # Excel's hint
        "naam\tstraat\thuisnummer\tpostcode\r\nCafé De Hoek\tIndustrieweg\t12\t3542 AD\r\n".encode("utf-16"),
        # Latin-1, blank lines, headers in capitals with spaces
        b"\n\n  NAAM , Straat ,HUISNUMMER,Postcode\nCaf\xe9 De Hoek,Industrieweg,12,3542 AD\n\n",
    ],
)
def test_other_csv_flavours(db, park, data):
    preview = _preview(park, data)
    assert _outcomes(preview) == ["create"]
    assert preview.rows[0]["values"]["name"] == "Café De Hoek"


def test_xlsx_made_with_openpyxl(db, park):
    data = _xlsx(
        [
            [
                "Naam",
                "KvK",
                "Straat",
                "Huisnummer",
                "Toevoeging",
                "Postcode",
                "Sector",
                "E-mail",
                "Lat",
                "Lon",
                "Notitie",
            ],
            ["Bakkerij De Korenaar", 30123456, "Industrieweg", 12, None, "3542 AD", "Voeding", None, 52.105, 5.06, "x"],
            [None, None, None, None, None, None, None, None, None, None, None],
            ["Noord Metaal", 1234567, "Zeeweg", 3.0, "b", "3542ae", None, "info@noord.nl", None, None, None],
            ["Zonder postcode", None, "Zeeweg", 5, None, None, None, None, None, None, None],
        ]
    )
    preview = _preview(park, data, filename="Register.XLSX")
    assert _outcomes(preview) == ["create", "create", "reject"]
    assert [row["row"] for row in preview.rows] == [2, 4, 5]
    first, second = preview.rows[0]["values"], preview.rows[1]["values"]
    assert (first["kvk_number"], first["house_number"], first["lat"]) == ("30123456", 12, 52.105)
    # Excel drops a KvK number's leading zero when it is typed as a number
    assert (second["kvk_number"], second["house_number"], second["postcode"]) == ("01234567", 3, "3542AE")
    assert preview.rows[2]["reason"] == "Vul de postcode in."


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("leeg.csv", b"", "Het bestand is leeg."),
        ("leeg.csv", b" \r\n\r\n ", "Het bestand is leeg."),
        ("kop.csv", b"naam;straat;huisnummer;postcode\r\n;;;\r\n", "alleen een kopregel"),
        ("leeg.xlsx", None, "Het bestand is leeg."),
        ("kolommen.csv", b"bedrijf;adres\r\nBakkerij;Industrieweg 12\r\n", "ontbreken de kolommen straat, huisnummer"),
        ("kolommen.csv", b"naam,postcode\r\nBakkerij,3542 AD\r\n", "ontbreken de kolommen straat, huisnummer"),
        ("dubbel.csv", b"naam;straat;huisnummer;postcode;name\r\n", "De kolom name staat twee keer in het bestand."),
        ("punt.csv", b"naam;straat;huisnummer;postcode;lat\r\nA;B;1;3542 AD;52.1\r\n", "niet voor allebei"),
        ("plaatje.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Kies een CSV-bestand"),
        ("plaatje.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "geen CSV- of Excel-bestand"),
        ("oud.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "oud of beveiligd Excel-bestand"),
        ("nep.xlsx", b"naam;straat\r\n", "geen geldig Excel-bestand"),
        ("kapot.xlsx", None, "kan niet worden gelezen"),
    ],
)
def test_files_that_are_not_a_register_are_refused_with_a_message(db, park, filename, data, message):
    if filename == "leeg.xlsx":
        data = _xlsx([])
    elif filename == "kapot.xlsx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
        data = buffer.getvalue()
    with pytest.raises(DomainError) as error:
        _preview(park, data, filename=filename)
    assert message in error.value.message
    assert db.session.scalars(select(CompanyImport)).all() == []


def test_a_file_over_20_mb_is_refused(db, park):
    header = b"naam;straat;huisnummer;postcode\r\n"
    data = header + b"x" * (companies.MAX_IMPORT_BYTES + 1 - len(header))
    with pytest.raises(DomainError, match="groter dan 20 MB"):
        _preview(park, data)


def test_too_many_rows_are_refused(db, park):
    rows = "".join(f"Bedrijf {n},Industrieweg,{n % 9000 + 1},3542 AD\n" for n in range(companies.MAX_IMPORT_ROWS + 1))
    with pytest.raises(DomainError, match=r"meer dan 10\.000 regels"):
        _preview(park, "naam,straat,huisnummer,postcode\n" + rows)


def test_reimporting_the_same_file_changes_nothing(db, park):
    advisor = make_member(Role.ADVISOR, park)
    companies.apply_import(advisor, _preview(park, GOOD_CSV, actor=advisor), now=NOW)
    again = _preview(park, GOOD_CSV, actor=advisor)
    assert _outcomes(again) == ["unchanged"] * 3
    before = [(c.id, c.name, c.email, c.lat) for c in db.session.scalars(select(Company).order_by(Company.id))]
    companies.apply_import(advisor, again, now=LATER)
    after = [(c.id, c.name, c.email, c.lat) for c in db.session.scalars(select(Company).order_by(Company.id))]
    assert before == after


def test_known_companies_are_updated_by_kvk_number_or_by_address_and_name(db, park):
    by_kvk = make_company(
        park,
        name="Oude Naam BV",
        kvk_number="30123456",
        street="Zeeweg",
        house_number=1,
        house_number_addition="",
        postcode="3542AE",
        sector=None,
    )
    by_address = make_company(park)  # Transport Van Dam, Industrieweg 14a, no KvK number
    accepted = make_company(
        park, name="Buiten", house_number=99, house_number_addition="", lat=52.3, lon=5.3, outside_accepted=True
    )
    csv = (
        "naam;kvk;straat;huisnummer;toevoeging;postcode;sector;e-mail;lat;lon\n"
        "Nieuwe Naam BV;30123456;Zeeweg;1;;3542 AE;;info@nieuw.nl;;\n"
        "Transport Van Dam;30999999;Industrieweg;14;a;3542 AD;Logistiek;;;\n"
        "Buiten;;Industrieweg;99;;3542 AD;;;52.31;5.3\n"
    )
    advisor = make_member(Role.ADVISOR, park)
    preview = _preview(park, csv, actor=advisor)
    assert _outcomes(preview) == ["update", "update", "update"]
    assert [row["company_id"] for row in preview.rows] == [by_kvk.id, by_address.id, accepted.id]
    assert preview.rows[0]["changes"] == ["name", "email"]
    assert preview.rows[1]["changes"] == ["kvk_number"]
    assert by_kvk.name == "Oude Naam BV"  # not yet
    companies.apply_import(advisor, preview, now=LATER)
    assert (by_kvk.name, by_kvk.email, by_kvk.sector) == ("Nieuwe Naam BV", "info@nieuw.nl", None)
    assert by_address.kvk_number == "30999999"
    assert accepted.lat == 52.31 and not accepted.outside_accepted  # a moved point is asked about again


def test_columns_missing_from_the_file_are_left_alone(db, park):
    company = make_company(park, email="info@vandam.nl", lat=52.105, lon=5.06, kvk_number="30123456")
    preview = _preview(park, "naam,straat,huisnummer,toevoeging,postcode\nTransport Van Dam,Industrieweg,14,a,3542AD\n")
    assert _outcomes(preview) == ["unchanged"]
    companies.apply_import(make_member(Role.ADVISOR, park), preview, now=LATER)
    assert (company.email, company.lat, company.kvk_number, company.sector) == (
        "info@vandam.nl",
        52.105,
        "30123456",
        "Logistiek",
    )


def test_rows_that_clash_with_other_companies_of_the_register_are_rejected(db, park):
    make_company(park, name="Bakkerij", kvk_number="30123456", house_number=12, house_number_addition="")
    make_company(park, name="Slagerij", kvk_number="30654321", house_number=13, house_number_addition="")
    csv = (
        "naam,kvk,straat,huisnummer,postcode\n"
        "Slagerij,30123456,Industrieweg,13,3542 AD\n"  # Bakkerij's KvK number, moved onto Slagerij's address and name
        "Bakkerij,30654321,Industrieweg,12,3542 AD\n"  # Slagerij's KvK number, onto Bakkerij's address and name
    )
    preview = _preview(park, csv)
    assert _outcomes(preview) == ["reject", "reject"]
    assert preview.rows[0]["reason"] == "Op dit adres staat al een ander bedrijf met deze naam: Slagerij."
    assert preview.rows[1]["reason"] == "Op dit adres staat al een ander bedrijf met deze naam: Bakkerij."


def test_moves_within_one_file_are_applied_in_order(db, park):
    first = make_company(park, name="Eerste", kvk_number="30000001", house_number=1, house_number_addition="")
    second = make_company(park, name="Tweede", kvk_number="30000002", house_number=2, house_number_addition="")
    moves = [
        "Eerste,30000001,Industrieweg,5,3542 AD\n",  # Eerste moves from number 1 to 5
        "Eerste,30000002,Industrieweg,1,3542 AD\n",  # then Tweede takes number 1 and the name Eerste
    ]
    header = "naam,kvk,straat,huisnummer,postcode\n"
    # the other way round, number 1 is still taken when Tweede wants it
    swapped = _preview(park, header + moves[1] + moves[0])
    assert _outcomes(swapped) == ["reject", "update"]
    assert swapped.rows[0]["reason"] == "Op dit adres staat al een ander bedrijf met deze naam: Eerste."
    preview = _preview(park, header + "".join(moves))
    assert _outcomes(preview) == ["update", "update"]
    companies.apply_import(make_member(Role.ADVISOR, park), preview, now=LATER)
    assert [(c.name, c.house_number) for c in (first, second)] == [("Eerste", 5), ("Eerste", 1)]
    assert _company_count(db) == 2


def test_confirm_twice_is_refused(db, park):
    advisor = make_member(Role.ADVISOR, park)
    preview = _preview(park, GOOD_CSV, actor=advisor)
    companies.apply_import(advisor, preview, now=LATER)
    with pytest.raises(DomainError, match="al verwerkt"):
        companies.apply_import(advisor, preview, now=LATER)
    assert _company_count(db) == 3


def test_a_register_changed_since_the_preview_is_checked_again(db, park):
    advisor = make_member(Role.ADVISOR, park)
    preview = _preview(park, GOOD_CSV, actor=advisor)
    make_company(park, name="Bakkerij De Korenaar", house_number=12, house_number_addition="", kvk_number="30123456")
    with pytest.raises(DomainError, match="gewijzigd sinds"):
        companies.apply_import(advisor, preview, now=LATER)


def test_only_editors_import(db, park):
    auditor = make_member(Role.AUDITOR, park)
    with pytest.raises(DomainError):
        _preview(park, GOOD_CSV, actor=auditor)
    preview = _preview(park, GOOD_CSV)
    with pytest.raises(DomainError):
        companies.apply_import(auditor, preview, now=LATER)


def test_a_new_preview_replaces_the_users_unconfirmed_one(db, park):
    advisor = make_member(Role.ADVISOR, park)
    first = _preview(park, GOOD_CSV, actor=advisor)
    first_id = first.id
    _preview(park, GOOD_CSV, actor=advisor)
    db.session.expire_all()
    assert db.session.get(CompanyImport, first_id) is None
    assert len(db.session.scalars(select(CompanyImport)).all()) == 1


# --- export -------------------------------------------------------------------------------------------------


def _register(db) -> list[tuple]:
    return [
        (
            c.name,
            c.kvk_number,
            c.street,
            c.house_number,
            c.house_number_addition,
            c.postcode,
            c.sector,
            c.email,
            c.lat,
            c.lon,
        )
        for c in db.session.scalars(select(Company).order_by(Company.id))
    ]


def _fill_register(park) -> None:
    make_company(
        park,
        name="Café De Hoek",
        kvk_number="01234567",
        email="info@dehoek.nl",
        lat=52.1051234,
        lon=5.0612345,
        language="en",
    )
    make_company(
        park, name='=HYPERLINK("https://evil.example")', house_number=3, house_number_addition="", sector="@Home"
    )
    make_company(park, name="-Min BV", house_number=4, house_number_addition="bis", sector="+ plus")
    make_company(park, name='Smit; Staal "&" Zn', house_number=5, house_number_addition="", street="Zee;weg")


def test_csv_export_opens_in_dutch_excel_and_comes_back_unchanged(db, park):
    _fill_register(park)
    data = companies.export_csv(park)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "naam;kvk;straat;huisnummer;toevoeging;postcode;sector;e-mail;breedtegraad;lengtegraad;taal"
    assert "Café De Hoek;01234567;Industrieweg;14;a;3542 AD;Logistiek;info@dehoek.nl;52,1051234;5,0612345;en" in lines
    assert all(not line.startswith(("=", "-", "+", "@")) for line in lines)  # no formulas in a spreadsheet
    assert "'=HYPERLINK" in text and "'-Min BV" in text
    before = _register(db)
    preview = _preview(park, data, filename="export.csv")
    assert _outcomes(preview) == ["unchanged"] * 4
    companies.apply_import(make_member(Role.ADVISOR, park), preview, now=LATER)
    assert _register(db) == before


def test_xlsx_export_comes_back_unchanged(db, park):
    _fill_register(park)
    data = companies.export_xlsx(park)
    sheet = load_workbook(io.BytesIO(data)).active
    assert [cell.value for cell in sheet[1]][:3] == ["naam", "kvk", "straat"]
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row}
    assert cells['=HYPERLINK("https://evil.example")'].data_type == "s"  # text, not a formula
    assert "01234567" in cells  # the KvK number keeps its leading zero
    preview = _preview(park, data, filename="export.xlsx")
    assert _outcomes(preview) == ["unchanged"] * 4


def test_export_of_an_empty_register_imports_as_nothing(db, park):
    with pytest.raises(DomainError, match="alleen een kopregel"):
        _preview(park, companies.export_csv(park))


# --- through the pages --------------------------------------------------------------------------------------


def test_upload_preview_confirm_through_the_pages(login_as, db, park):
    client = login_as(make_member(Role.ADVISOR, park))
    base = f"/parken/{park.id}/bedrijven"
    page = client.get(f"{base}/importeren")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.get_data(as_text=True)
    csv = GOOD_CSV + "Zonder adres,,,,,,,,,\n"
    response = client.post(f"{base}/importeren", data={"file": (io.BytesIO(csv.encode()), "mijn bedrijven.csv")})
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    assert re.fullmatch(rf"{base}/importeren/\d+", preview_url)
    assert _company_count(db) == 0

    body = client.get(preview_url).get_data(as_text=True)
    assert "Controle van mijn bedrijven.csv" in body
    assert "Bakkerij De Korenaar" in body and "Industrieweg 14a, 3542 AD" in body
    assert "Vul de straat in." in body and "Afgewezen" in body and "Nieuw" in body
    assert "Bevestigen: 3 bedrijven verwerken" in body
    only_rejects = client.get(f"{preview_url}?uitkomst=reject").get_data(as_text=True)
    assert "Zonder adres" in only_rejects and "Bakkerij De Korenaar" not in only_rejects
    assert client.get(f"{preview_url}?uitkomst=nonsense&page=-4").status_code == 200

    response = client.post(f"{preview_url}/bevestigen")
    assert response.status_code == 302 and response.headers["Location"] == f"{base}/"
    listing = client.get(f"{base}/").get_data(as_text=True)
    assert "De import is verwerkt: 3 toegevoegd, 0 bijgewerkt, 0 ongewijzigd, 1 afgewezen." in listing
    assert "Smit, Staal &amp; Zn" in listing
    assert _company_count(db) == 3

    # a second confirmation changes nothing and says why
    response = client.post(f"{preview_url}/bevestigen")
    assert response.status_code == 302
    assert "Deze import is al verwerkt." in client.get(f"{base}/").get_data(as_text=True)
    assert _company_count(db) == 3
    assert "Deze import is verwerkt op" in client.get(preview_url).get_data(as_text=True)


def test_upload_errors_are_shown_on_the_form(login_as, db, park):
    client = login_as(make_member(Role.ADVISOR, park))
    url = f"/parken/{park.id}/bedrijven/importeren"
    for name, data, message in [
        ("leeg.csv", b"", "Het bestand is leeg."),
        ("x.csv", b"foo,bar\n1,2\n", "ontbreken de kolommen"),
        ("x.xlsx", b"PK\x03\x04garbage", "kan niet worden gelezen"),
        ("x.exe", b"MZ\x90\x00", "Kies een CSV-bestand"),
    ]:
        response = client.post(url, data={"file": (io.BytesIO(data), name)})
        assert response.status_code == 422, name
        assert message in response.get_data(as_text=True), name
    response = client.post(url, data={})
    assert response.status_code == 422 and "Kies een bestand." in response.get_data(as_text=True)
    assert db.session.scalars(select(CompanyImport)).all() == []


def test_upload_over_20_mb_is_refused_before_it_is_read(login_as, db, park):
    client = login_as(make_member(Role.ADVISOR, park))
    data = b"naam;straat;huisnummer;postcode\r\n" + b"x" * (companies.MAX_IMPORT_BYTES + 100_000)
    response = _big_upload(client, f"/parken/{park.id}/bedrijven/importeren", data, "groot.csv")
    assert response.status_code == 413
    assert "Het bestand is groter dan 20 MB." in response.get_data(as_text=True)
    assert db.session.scalars(select(CompanyImport)).all() == []


def test_a_file_just_over_the_limit_is_refused_by_the_service(login_as, db, park):
    client = login_as(make_member(Role.ADVISOR, park))
    data = b"naam;straat;huisnummer;postcode\r\n" + b"x" * companies.MAX_IMPORT_BYTES
    response = _big_upload(client, f"/parken/{park.id}/bedrijven/importeren", data, "groot.csv")
    assert response.status_code == 422
    assert "Het bestand is groter dan 20 MB." in response.get_data(as_text=True)


def test_imports_of_another_park_or_by_readers_are_closed(login_as, db, park, other_park):
    foreign = _preview(other_park, GOOD_CSV)
    own = _preview(park, GOOD_CSV)
    advisor = login_as(make_member(Role.ADVISOR, park))
    assert advisor.get(f"/parken/{park.id}/bedrijven/importeren/{foreign.id}").status_code == 404
    assert advisor.post(f"/parken/{park.id}/bedrijven/importeren/{foreign.id}/bevestigen").status_code == 404
    assert advisor.get(f"/parken/{other_park.id}/bedrijven/importeren/{foreign.id}").status_code == 404
    auditor = login_as(make_member(Role.AUDITOR, park))
    assert auditor.get(f"/parken/{park.id}/bedrijven/importeren/{own.id}").status_code == 403
    assert auditor.post(f"/parken/{park.id}/bedrijven/importeren/{own.id}/bevestigen").status_code == 403
    assert (
        auditor.post(
            f"/parken/{park.id}/bedrijven/importeren", data={"file": (io.BytesIO(GOOD_CSV.encode()), "x.csv")}
        ).status_code
        == 403
    )
    assert _company_count(db) == 0


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [("csv", "text/csv; charset=utf-8"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")],
)
def test_export_downloads(login_as, db, park, kind, content_type):
    make_company(park, name="Café De Hoek")
    response = login_as(make_member(Role.AUDITOR, park)).get(f"/parken/{park.id}/bedrijven/exporteren?format={kind}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and re.search(
        rf"bedrijven-lage-weide-\d{{4}}-\d\d-\d\d\.{kind}", disposition
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert len(response.data) > 50


def test_export_with_an_unknown_format_is_a_bad_request(login_as, park):
    assert (
        login_as(make_member(Role.ADVISOR, park)).get(f"/parken/{park.id}/bedrijven/exporteren?format=pdf").status_code
        == 400
    )


@pytest.mark.parametrize("token", [None, "garbage"])
def test_posts_without_a_valid_csrf_token_change_nothing(login_as, db, park, token):
    advisor = make_member(Role.ADVISOR, park)
    company = make_company(park, lat=52.3, lon=5.3)
    preview = _preview(park, GOOD_CSV, actor=advisor)
    client = login_as(advisor)
    base = f"/parken/{park.id}/bedrijven"
    data = {"name": "Nieuwe naam", "street": "Zeeweg", "house_number": "1", "postcode": "3542 AD"}
    if token:
        data["csrf_token"] = token
    for url in (
        f"{base}/nieuw",
        f"{base}/{company.id}",
        f"{base}/{company.id}/verwijderen",
        f"{base}/{company.id}/hoort-bij-park",
        f"{base}/importeren",
        f"{base}/importeren/{preview.id}/bevestigen",
    ):
        response = client.post(url, data=data, csrf=False)
        assert response.status_code == 400, url
        assert "Uw formulier was verlopen of kwam niet van deze site" in response.get_data(as_text=True), url
    db.session.expire_all()
    assert db.session.scalars(select(Company.name)).all() == ["Transport Van Dam"]
    assert not db.session.get(Company, company.id).outside_accepted
    assert db.session.get(CompanyImport, preview.id).applied_at is None


@pytest.mark.parametrize(
    ("written", "language"), [("en", "en"), ("English", "en"), ("ENGELS", "en"), ("nederlands", "nl"), ("", "nl")]
)
def test_the_import_reads_the_contacts_language(written, language):
    clean, errors = companies.check_company(
        {"name": "A", "street": "B", "house_number": "1", "postcode": "3542AD", "language": written}
    )
    assert errors == {} and clean["language"] == language


def test_an_unknown_language_is_a_message():
    _clean, errors = companies.check_company(
        {"name": "A", "street": "B", "house_number": "1", "postcode": "3542AD", "language": "de"}
    )
    assert errors == {"language": "De taal is Nederlands (nl) of Engels (en)."}
