"""Photos of findings: only real JPEG, PNG and WebP images, size and pixel limits, no metadata, files outside
static/ served only to members of the park, and no file left behind."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app import images
from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError, NotAllowed
from app.extensions import db as _db
from app.inventory import inspections, photos
from app.inventory.models import Finding, FindingPhoto
from app.parks.models import CycleStatus
from app.parks.services import active_cycle
from tests.conftest import stored_keys
from tests.factories import image_bytes, make_member
from tests.inventory.conftest import make_finding, make_inspection

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program"


@pytest.fixture
def finding(park) -> Finding:
    return make_finding(make_inspection(park))


@pytest.fixture
def stored(upload_storage):
    """stored() -> the keys of the stored photos; the test runs with a fresh upload folder and a fresh bucket."""
    return lambda: stored_keys(upload_storage, photos.SUBFOLDER)


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims to be `width` x `height` pixels in a few dozen bytes: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telefoon"
    exif[ExifTags.Base.Orientation] = 6  # turned a quarter: the stored photo is upright
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 6.0, 15.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (5.0, 4.0, 12.0)
    return image_bytes("JPEG", (64, 48), exif=exif)


# --- checking and cleaning an image -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [("JPEG", "RGB"), ("PNG", "RGB"), ("PNG", "RGBA"), ("PNG", "P"), ("PNG", "I;16"), ("WEBP", "RGB"), ("JPEG", "L")],
)
def test_jpeg_png_and_webp_become_a_clean_jpeg(app, fmt, mode):
    with app.app_context():
        data, width, height = images.clean_image(image_bytes(fmt, (64, 48), mode=mode))
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.mode, image.size, width, height) == ("JPEG", "RGB", (64, 48), 64, 48)


def test_the_gps_position_and_all_other_metadata_are_gone_and_the_photo_is_upright(app):
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    with app.app_context():
        data, width, height = images.clean_image(original)
    image = Image.open(io.BytesIO(data))
    assert dict(image.getexif()) == {}
    assert b"Exif" not in data and b"Telefoon" not in data
    assert "exif" not in image.info and "icc_profile" not in image.info
    assert (width, height) == image.size == (48, 64)


def test_big_photos_are_scaled_down(app):
    with app.app_context():
        _data, width, height = images.clean_image(image_bytes("PNG", (3000, 1500), mode="L"))
    assert (width, height) == (2560, 1280)


@pytest.mark.parametrize(
    "data",
    [
        WINDOWS_PROGRAM,  # a renamed .exe
        b"\x7fELF\x02\x01\x01" + b"\x00" * 60,  # a renamed Linux program
        SVG_WITH_SCRIPT,
        b"<!doctype html><html><script>alert(1)</script></html>",
        image_bytes("GIF"),
        image_bytes("BMP"),
        image_bytes("TIFF"),
        b"%PDF-1.7\n",
        image_bytes("JPEG")[:200],  # a JPEG cut short
        image_bytes("PNG")[:-20],  # a PNG without its end
        b"\xff\xd8\xff" + WINDOWS_PROGRAM,  # a JPEG signature in front of something else
        b"RIFF\x00\x00\x00\x00WEBPVP8 garbage",
        b"",
    ],
)
def test_anything_but_a_whole_jpeg_png_or_webp_is_refused(app, data):
    with app.app_context(), pytest.raises(DomainError, match="Dit bestand is geen foto"):
        images.clean_image(data)


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (7_000, 7_000),  # 49 megapixel: over the platform's limit
        (10_000, 10_000),  # 100 megapixel: Pillow warns
        (30_000, 30_000),  # 900 megapixel: Pillow refuses
    ],
)
def test_decompression_bombs_are_refused(app, width, height):
    with app.app_context(), pytest.raises(DomainError, match="te veel pixels"):
        images.clean_image(_png_header(width, height))


def test_a_file_over_the_photo_limit_is_refused_before_it_is_decoded(app):
    with app.app_context(), pytest.raises(DomainError, match="groter dan 10 MB"):
        images.clean_image(b"\xff\xd8\xff" + b"\x00" * app.config["PHOTO_MAX_BYTES"])


# --- storing ---------------------------------------------------------------------------------------------------


def test_a_photo_is_stored_outside_static_under_a_random_name_and_audited(
    db, park, finding, advisor, stored, upload_storage
):
    photo = photos.add_photo(advisor, finding, filename="C:\\Users\\olga\\IMG_0001.jpeg", data=_jpeg_with_gps())
    assert stored() == [f"findings/{photo.stored_name}"]
    stem, suffix = photo.stored_name.split(".")
    assert len(stem) == 32 and suffix == "jpg"
    content = upload_storage.get(f"findings/{photo.stored_name}")
    assert content == photos.read(photo) and content.startswith(b"\xff\xd8")
    assert (photo.original_name, photo.content_type, photo.size) == ("IMG_0001.jpeg", "image/jpeg", len(content))
    assert photos.download_name(photo) == "IMG_0001.jpg"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "inventory.photo_added")).one()
    assert event.details["finding"] == finding.id


def test_a_refused_upload_leaves_no_file(db, park, finding, advisor, stored):
    with pytest.raises(DomainError):
        photos.add_photo(advisor, finding, filename="x.jpg", data=WINDOWS_PROGRAM)
    assert stored() == []


def test_when_the_row_cannot_be_written_the_file_is_removed(db, park, finding, advisor, monkeypatch, stored):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(photos.audit, "record", broken)
    with pytest.raises(RuntimeError):
        photos.add_photo(advisor, finding, filename="x.jpg", data=image_bytes())
    assert stored() == []


def test_a_finding_has_at_most_ten_photos(db, park, finding, advisor):
    for n in range(photos.MAX_PHOTOS):
        photos.add_photo(advisor, finding, filename=f"{n}.jpg", data=image_bytes())
    with pytest.raises(DomainError, match="hoogstens 10 foto's"):
        photos.add_photo(advisor, finding, filename="11.jpg", data=image_bytes())


@pytest.mark.parametrize("role", [Role.CAMERA_OFFICER, Role.AUDITOR])
def test_readers_add_and_delete_no_photos(db, park, finding, advisor, role, stored):
    photo = photos.add_photo(advisor, finding, filename="x.jpg", data=image_bytes())
    with pytest.raises(NotAllowed):
        photos.add_photo(make_member(role, park), finding, filename="x.jpg", data=image_bytes())
    with pytest.raises(NotAllowed):
        photos.delete_photo(make_member(role, park), photo)
    assert len(stored()) == 1


def test_no_photos_in_a_closed_cycle(db, park, finding, advisor):
    active_cycle(park).status = CycleStatus.CLOSED
    db.session.flush()
    with pytest.raises(DomainError, match="afgesloten"):
        photos.add_photo(advisor, finding, filename="x.jpg", data=image_bytes())


def test_only_our_own_file_names_are_ever_opened_or_removed(app, tmp_path):
    with app.app_context():
        assert photos.read(FindingPhoto(stored_name="../../app.py")) is None
        victim = Path(app.config["UPLOAD_FOLDER"]) / "keep.txt"
        victim.parent.mkdir(parents=True, exist_ok=True)
        victim.write_text("x")
        photos.remove_files(["../keep.txt", "keep.txt"])
        assert victim.exists()
        victim.unlink()


# --- through the pages -------------------------------------------------------------------------------------------


def _url(park, suffix):
    return f"/parken/{park.id}/schouw/{suffix}"


def _upload(client, park, finding, data: bytes, filename: str, content_type: str = "image/jpeg"):
    return client.post(
        _url(park, f"bevindingen/{finding.id}/fotos"),
        data={"photo": (io.BytesIO(data), filename, content_type)},
    )


def test_upload_view_serve_and_delete(login_as, park, finding, stored):
    client = login_as(make_member(Role.ENTREPRENEUR, park))
    response = _upload(client, park, finding, _jpeg_with_gps(), "IMG 0001.JPG")
    assert response.status_code == 302 and response.headers["Location"].endswith("#fotos")
    photo = _db.session.scalars(select(FindingPhoto)).one()
    page = client.get(_url(park, f"bevindingen/{finding.id}")).get_data(as_text=True)
    assert f'src="/parken/{park.id}/schouw/fotos/{photo.id}"' in page and "IMG 0001.JPG" in page

    served = login_as(make_member(Role.AUDITOR, park)).get(_url(park, f"fotos/{photo.id}"))
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Cache-Control"].startswith("private")
    assert served.headers["Content-Disposition"] == "inline; filename=IMG-0001.jpg"
    image = Image.open(io.BytesIO(served.data))
    assert image.format == "JPEG" and dict(image.getexif()) == {}

    response = client.post(_url(park, f"fotos/{photo.id}/verwijderen"))
    assert response.status_code == 302
    assert _db.session.scalars(select(FindingPhoto)).all() == []
    assert stored() == []


@pytest.mark.parametrize(
    ("data", "filename", "content_type"),
    [
        (WINDOWS_PROGRAM, "vakantie.jpg", "image/jpeg"),
        (SVG_WITH_SCRIPT, "kaart.svg", "image/svg+xml"),
        (SVG_WITH_SCRIPT, "kaart.jpg", "image/jpeg"),
        (b"<html><script>alert(1)</script></html>", "foto.png", "image/png"),
        (image_bytes("GIF"), "foto.gif", "image/gif"),
    ],
)
def test_uploads_that_are_no_photos_are_refused_with_422(login_as, park, finding, data, filename, content_type, stored):
    response = _upload(login_as(make_member(Role.ADVISOR, park)), park, finding, data, filename, content_type)
    assert response.status_code == 422
    assert "Dit bestand is geen foto. Kies een JPEG-, PNG- of WebP-afbeelding." in response.get_data(as_text=True)
    assert _db.session.scalars(select(FindingPhoto)).all() == []
    assert stored() == []


def test_an_upload_without_a_file_says_so(login_as, park, finding):
    response = login_as(make_member(Role.ADVISOR, park)).post(_url(park, f"bevindingen/{finding.id}/fotos"), data={})
    assert response.status_code == 422 and "Kies een foto." in response.get_data(as_text=True)


def _big_upload(client, park, finding, data: bytes):
    """Post a large file; encoded here because the test client leaves its own temporary file for it open."""
    upload = FileStorage(io.BytesIO(data), filename="groot.jpg", content_type="image/jpeg")
    boundary, body = encode_multipart({"csrf_token": client.csrf_token(), "photo": upload})
    return client.post(
        _url(park, f"bevindingen/{finding.id}/fotos"),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_a_12_mb_photo_is_refused_with_a_message(login_as, park, finding, stored):
    data = b"\xff\xd8\xff" + b"\x00" * (12 * 1024 * 1024)
    response = _big_upload(login_as(make_member(Role.ADVISOR, park)), park, finding, data)
    assert response.status_code == 422
    assert "De foto is groter dan 10 MB." in response.get_data(as_text=True)
    assert stored() == []


def test_a_30_mb_upload_gets_413_and_stores_nothing(login_as, park, finding, stored):
    client = login_as(make_member(Role.ADVISOR, park))
    response = _big_upload(client, park, finding, b"\xff\xd8\xff" + b"\x00" * (30 * 1024 * 1024))
    assert response.status_code == 413
    assert "Bestand te groot" in response.get_data(as_text=True)
    assert _db.session.scalars(select(FindingPhoto)).all() == []
    assert stored() == []


def test_a_failed_commit_removes_the_written_file(login_as, park, finding, failing_commit, stored):
    client = login_as(make_member(Role.ADVISOR, park))
    with pytest.raises(RuntimeError, match="database gone"):
        _upload(client, park, finding, image_bytes(), "x.jpg")
    assert len(failing_commit) == 2
    assert stored() == []


def test_photos_are_served_only_to_members_of_the_park(login_as, park, other_park, finding, advisor):
    photo = photos.add_photo(advisor, finding, filename="x.jpg", data=image_bytes())
    url = _url(park, f"fotos/{photo.id}")
    assert login_as(make_member(Role.ADVISOR, other_park)).get(url).status_code == 404
    assert login_as(advisor).get(_url(other_park, f"fotos/{photo.id}")).status_code == 404
    anonymous = login_as(advisor).application.test_client().get(url)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/inloggen")


def test_a_photo_whose_file_is_gone_is_404(login_as, park, finding, advisor, upload_storage):
    photo = photos.add_photo(advisor, finding, filename="x.jpg", data=image_bytes())
    upload_storage.delete(f"findings/{photo.stored_name}")
    assert login_as(advisor).get(_url(park, f"fotos/{photo.id}")).status_code == 404


def test_deleting_a_finding_or_a_walk_removes_the_files_after_the_commit(login_as, park, advisor, stored):
    walk = make_inspection(park)
    first, second = make_finding(walk), make_finding(walk)
    photos.add_photo(advisor, first, filename="a.jpg", data=image_bytes())
    photos.add_photo(advisor, second, filename="b.jpg", data=image_bytes())
    photos.add_photo(advisor, second, filename="c.jpg", data=image_bytes())
    client = login_as(advisor)
    assert len(stored()) == 3
    client.post(_url(park, f"bevindingen/{first.id}/verwijderen"))
    assert len(stored()) == 2
    client.post(_url(park, f"{walk.id}/verwijderen"))
    assert stored() == []
    assert _db.session.scalars(select(FindingPhoto)).all() == []


def test_the_upload_form_disappears_at_the_limit(login_as, park, finding, advisor, monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTOS", 1)
    photos.add_photo(advisor, finding, filename="a.jpg", data=image_bytes())
    page = login_as(advisor).get(_url(park, f"bevindingen/{finding.id}")).get_data(as_text=True)
    assert "Foto toevoegen" not in page and "het hoogste aantal foto's (1)" in page
    assert inspections.action_of(finding) is None
