"""The shared reading of uploaded tables (app.imports), as both the register and the figures use it."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from app import imports
from app.errors import DomainError
from app.imports import TableFormat, csv_bytes, read_table

FORMAT = TableFormat(
    aliases={"name": ("naam", "name"), "amount": ("aantal", "amount"), "note": ("opmerking", "note")},
    required=("name", "amount"),
    headers={"name": "naam", "amount": "aantal", "note": "opmerking"},
)


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"naam,aantal\r\nCaf\xc3\xa9,12\r\n",  # UTF-8, commas
        b"\xef\xbb\xbfNaam;Aantal (totaal)\r\nCaf\xc3\xa9;12\r\n",  # BOM, semicolons, a note in brackets
        b"NAAM;AANTAL\r\nCaf\xe9;12\r\n",  # Windows-1252 as Excel in Dutch writes it
        b"sep=,\r\nname,amount\r\nCaf\xc3\xa9,12\r\n",  # Excel's hint line, English headers
        "naam\taantal\r\nCafé\t12\r\n".encode("utf-16"),  # Excel's "Unicode text"
        b"\r\n\r\nonbekend;naam;aantal\r\n;Caf\xc3\xa9;12\r\n\r\n",  # blank lines and an unknown column
    ],
)
def test_csv_flavours_give_the_same_rows(data):
    table = read_table("bestand.csv", data, FORMAT)
    assert [values for _row, values in table.records] == [{"name": "Café", "amount": "12"}]
    assert table.fields == ["name", "amount"] and table.from_excel is False


def test_the_delimiter_is_the_one_that_splits_the_header_into_known_columns():
    # commas inside the values, semicolons between the columns
    table = read_table("x.csv", b"naam;aantal;opmerking\r\nSmit, Staal & Zn;3;a, b\r\n", FORMAT)
    assert table.records == [(2, {"name": "Smit, Staal & Zn", "amount": "3", "note": "a, b"})]


def test_xlsx_rows_keep_their_spreadsheet_row_numbers():
    table = read_table("x.xlsx", _xlsx([["Naam", "Aantal"], ["A", 3.0], [None, None], ["B", 4]]), FORMAT)
    assert table.records == [(2, {"name": "A", "amount": "3"}), (4, {"name": "B", "amount": "4"})]
    assert table.from_excel is True


def test_a_defused_formula_comes_back_as_it_was_exported():
    data = csv_bytes(["naam", "aantal"], [["=SUM(A1)", 3], ["+31", 1.5]])
    assert data.startswith(b"\xef\xbb\xbf") and b"'=SUM(A1);3" in data and b"1,5" in data
    table = read_table("x.csv", data, FORMAT)
    assert [values["name"] for _row, values in table.records] == ["=SUM(A1)", "+31"]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("x.csv", b"", "Het bestand is leeg."),
        ("x.csv", b"naam;aantal\r\n", "Het bestand bevat alleen een kopregel."),
        ("x.csv", b"naam;iets\r\nA;1\r\n", "ontbreken de kolommen aantal"),
        ("x.csv", b"naam;aantal;name\r\n", "De kolom name staat twee keer in het bestand."),
        ("x.exe", b"MZ\x90\x00", "Kies een CSV-bestand"),
        ("x.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "geen CSV- of Excel-bestand"),
        ("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 10, "oud of beveiligd Excel-bestand"),
        ("x.xlsx", b"naam;aantal\r\n", "geen geldig Excel-bestand"),
        ("x.xlsx", b"PK\x03\x04garbage", "kan niet worden gelezen"),
        ("x.csv", b'naam;aantal\r\n"A\x00', "geen CSV- of Excel-bestand"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_message(filename, data, message):
    with pytest.raises(DomainError) as error:
        read_table(filename, data, FORMAT)
    assert message in error.value.message


def test_size_and_row_limits(monkeypatch):
    with pytest.raises(DomainError, match="groter dan 20 MB"):
        read_table("x.csv", b"naam;aantal\r\n" + b"x" * imports.MAX_IMPORT_BYTES, FORMAT)
    monkeypatch.setattr(imports, "MAX_IMPORT_ROWS", 3)
    rows = "".join(f"A{n};{n}\r\n" for n in range(4))
    with pytest.raises(DomainError, match="meer dan 3 regels"):
        read_table("x.csv", ("naam;aantal\r\n" + rows).encode(), FORMAT)


def test_a_format_refuses_combinations_of_columns_and_words_its_own_messages():
    def no_note_without_amount(fields):
        if "note" in fields:
            raise DomainError("Geen opmerkingen.")

    strict = TableFormat(
        aliases=FORMAT.aliases,
        required=("name",),
        headers=FORMAT.headers,
        check_columns=no_note_without_amount,
        only_header=lambda: "Geen rijen.",
    )
    with pytest.raises(DomainError, match=r"Geen opmerkingen\."):
        read_table("x.csv", b"naam;opmerking\r\nA;b\r\n", strict)
    with pytest.raises(DomainError, match=r"Geen rijen\."):
        read_table("x.csv", b"naam\r\n", strict)
