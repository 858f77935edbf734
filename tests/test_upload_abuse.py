"""Abuse of every upload: wrong types, damaged files, zip bombs, decompression bombs and files over the limits are
refused with a message and a 4xx, and leave no row and no file behind."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app import storage
from app.audit.models import AuditEvent
from app.cameras.models import Camera, NetworkDocument
from app.imports import MAX_IMPORT_BYTES
from app.inventory.models import FigureImport, FindingPhoto
from app.parks.models import CompanyImport
from tests.factories import image_bytes, pdf_bytes
from tests.test_authorisation_matrix import Matrix, matrix  # noqa: F401 (its fixture builds the world)
from tests.test_hostile_input import MESSAGE_MARKS, Session

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(512)
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Naam", "Straat", "Huisnummer", "Postcode"])
    workbook.active.append(["Bakkerij", "Cartesiusweg", "1", "3534BD"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A workbook of a few kilobytes whose sheet unpacks to 50 MB of spaces."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (50 * 1024 * 1024))
    return out.getvalue()


def pixel_bomb() -> bytes:
    """A tiny PNG whose header claims 30,000 x 30,000 pixels (3.6 GB once decoded)."""
    png = image_bytes("PNG", size=(8, 8))
    header = b"IHDR" + struct.pack(">II", 30_000, 30_000) + png[24:29]
    return png[:12] + header + struct.pack(">I", zlib.crc32(header)) + png[33:]


TRUNCATED_XLSX = xlsx()[:700]
WRONG_TABLES = {
    "a PDF named .csv": ("register.csv", PDF, "ontbreken de kolommen"),
    "a program named .xlsx": ("register.xlsx", EXECUTABLE, "geen geldig Excel-bestand"),
    "a truncated workbook": ("register.xlsx", TRUNCATED_XLSX, "kan niet worden gelezen"),
    "a zip bomb": ("register.xlsx", zip_bomb(), "uitgepakt te groot"),
    "an empty file": ("register.csv", b"", "leeg"),
    "a file of another kind": ("register.exe", b"Naam;Postcode\n", "Kies een CSV-bestand"),
}
WRONG_PHOTOS = {
    "an HTML page named .jpg": ("foto.jpg", HTML, "geen foto"),
    "a PDF": ("foto.jpg", PDF, "geen foto"),
    "a truncated JPEG": ("foto.jpg", image_bytes("JPEG", size=(200, 200))[:300], "geen foto"),
    "a decompression bomb": ("foto.png", pixel_bomb(), "te veel pixels"),
    "a GIF": ("foto.gif", b"GIF89a" + bytes(40), "geen foto"),
}
WRONG_DOCUMENTS = {
    "a program named .pdf": ("convenant.pdf", EXECUTABLE, "geen PDF"),
    "an HTML page named .pdf": ("convenant.pdf", HTML, "geen PDF"),
    "a truncated PDF": ("convenant.pdf", PDF[:20], "geen PDF"),
    "a damaged PDF": ("convenant.pdf", b"%PDF-1.4\n garbage \n%%EOF\n", "geen PDF"),
    "a PDF over 10 MB": ("convenant.pdf", PDF + bytes(10 * 1024 * 1024), "groter dan 10 MB"),
}


@dataclass(frozen=True)
class Upload:
    endpoint: str
    file_field: str
    extra: dict[str, str] = field(default_factory=dict)


TABLE_UPLOADS = (
    Upload("companies.import_upload", "file"),
    Upload("figures.import_upload", "file"),
    Upload("cameras.import_cameras", "file"),
    Upload("camera_health.import_health", "file"),
)
PHOTO_UPLOAD = Upload("inspections.upload_photo", "photo")
DOCUMENT_UPLOAD = Upload("camera_legal.upload", "file", {"kind": "convenant"})


@pytest.fixture(scope="module")
def world(request) -> Matrix:
    """The authorisation matrix's world, built once for the module and rolled back afterwards."""
    return request.getfixturevalue("matrix")


def stored_files(world: Matrix) -> set[str]:
    return {key for key, _info in storage.local_storage(world.app).items()}


def counts() -> tuple[int, ...]:
    from app.extensions import db

    models = (AuditEvent, CompanyImport, FigureImport, Camera, FindingPhoto, NetworkDocument)
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in models)


def post_file(world: Matrix, upload: Upload, filename: str, data: bytes):
    """Post the file; returns (status, page, whether a row or file was added)."""
    url = world.url(upload.endpoint, "admin")
    files_before = stored_files(world)
    with Session(world) as session:
        before = counts()
        # encoded here: the test client leaves its own temporary file for a large body open
        file = FileStorage(io.BytesIO(data), filename=filename)
        fields = {"csrf_token": session.client.csrf_token(), **upload.extra, upload.file_field: file}
        boundary, body = encode_multipart(fields)
        response = session.client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
        added = counts() != before
    return response.status_code, response.get_data(as_text=True), added or stored_files(world) != files_before


def assert_refused(status: int, page: str, added: bool, message: str) -> None:
    assert 400 <= status < 500
    assert any(mark in page for mark in MESSAGE_MARKS)
    assert message in page
    assert not added


@pytest.mark.parametrize("upload", TABLE_UPLOADS, ids=lambda upload: upload.endpoint)
@pytest.mark.parametrize("case", sorted(WRONG_TABLES))
def test_a_wrong_or_damaged_table_is_refused(world, upload, case):
    filename, data, message = WRONG_TABLES[case]
    assert_refused(*post_file(world, upload, filename, data), message)


@pytest.mark.parametrize("case", sorted(WRONG_PHOTOS))
def test_a_wrong_or_damaged_photo_is_refused(world, case):
    filename, data, message = WRONG_PHOTOS[case]
    assert_refused(*post_file(world, PHOTO_UPLOAD, filename, data), message)


@pytest.mark.parametrize("case", sorted(WRONG_DOCUMENTS))
def test_a_wrong_or_damaged_document_is_refused(world, case):
    filename, data, message = WRONG_DOCUMENTS[case]
    assert_refused(*post_file(world, DOCUMENT_UPLOAD, filename, data), message)


def test_the_good_files_are_accepted(world):
    """The refusals above are about the files: the same uploads with good files go through."""
    photo = post_file(world, PHOTO_UPLOAD, "foto.jpg", image_bytes())
    document = post_file(world, DOCUMENT_UPLOAD, "convenant.pdf", pdf_bytes())
    table = post_file(world, TABLE_UPLOADS[0], "register.xlsx", xlsx())
    assert [photo[0], document[0], table[0]] == [302, 302, 302]
    assert photo[2] and document[2] and table[2]


@pytest.mark.parametrize("upload", TABLE_UPLOADS[:2], ids=lambda upload: upload.endpoint)
def test_an_import_over_its_limit_is_a_413_on_the_form(world, upload):
    status, page, added = post_file(world, upload, "register.csv", b"a" * (MAX_IMPORT_BYTES + 128 * 1024))
    assert status == 413
    assert "groter dan 20 MB" in page and 'name="file"' in page
    assert not added


@pytest.mark.parametrize("upload", [*TABLE_UPLOADS[2:], PHOTO_UPLOAD, DOCUMENT_UPLOAD], ids=lambda u: u.endpoint)
def test_a_request_over_the_app_limit_is_a_readable_413(world, upload):
    size = world.app.config["MAX_CONTENT_LENGTH"] + 1024
    status, page, added = post_file(world, upload, "groot.pdf", bytes(size))
    assert status == 413
    assert "Bestand te groot" in page
    assert not added


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_it_is_opened(world, monkeypatch):
    """Members that each unpack modestly but together beyond MAX_XLSX_UNPACKED_BYTES (here made small)."""
    monkeypatch.setattr("app.imports.MAX_XLSX_UNPACKED_BYTES", 1000)
    assert_refused(*post_file(world, TABLE_UPLOADS[0], "register.xlsx", xlsx()), "uitgepakt te groot")
