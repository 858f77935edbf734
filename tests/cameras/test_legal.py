"""The legal frame: the compliance panel, dates, technology changes and PDF documents (service and views)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.auth.policy import NotAllowed
from app.cameras import legal
from app.cameras.legal import Status
from app.cameras.models import CameraNetwork, DocumentKind, NetworkDocument, TechnologyChange
from app.errors import DomainError
from tests import factories
from tests.conftest import stored_keys
from tests.factories import pdf_bytes

TODAY = date(2026, 6, 1)


@pytest.fixture
def network(db, park):
    network = CameraNetwork(park=park, name="Netwerk Lage Weide", retention_days=28)
    db.session.add(network)
    db.session.flush()
    return network


@pytest.fixture
def officer(db, park):
    return factories.make_member(Role.CAMERA_OFFICER, park)


def status_of(network, key, today=TODAY) -> Status:
    return {item.key: item for item in legal.compliance(network, today)}[key].status


def actions(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- compliance -------------------------------------------------------------------------------------------------


def test_an_empty_frame_is_missing_everywhere_but_retention(network):
    statuses = {item.key: item.status for item in legal.compliance(network, TODAY)}
    assert statuses == {
        "convenant": Status.MISSING,
        "register": Status.MISSING,
        "signage": Status.MISSING,
        "dpia": Status.MISSING,
        "retention": Status.OK,
        "masking": Status.MISSING,
    }


def test_dates_make_items_ok(network):
    network.convenant_signed_on = network.register_entered_on = network.masking_confirmed_on = date(2025, 1, 1)
    network.signage_checked_on = date(2026, 5, 1)
    network.dpia_on = date(2025, 1, 1)
    assert {item.status for item in legal.compliance(network, TODAY)} == {Status.OK}


@pytest.mark.parametrize(
    ("checked", "expected"),
    [
        (TODAY - timedelta(days=365 - 61), Status.OK),
        (TODAY - timedelta(days=365 - 60), Status.DUE_SOON),
        (TODAY - timedelta(days=365), Status.DUE_SOON),
        (TODAY - timedelta(days=366), Status.OVERDUE),
    ],
)
def test_signage_is_rechecked_yearly(network, checked, expected):
    network.signage_checked_on = checked
    assert status_of(network, "signage") == expected


@pytest.mark.parametrize(
    ("dpia_on", "expected"),
    [
        (date(2024, 1, 1), Status.OK),
        (date(2023, 7, 1), Status.DUE_SOON),
        (date(2023, 5, 31), Status.OVERDUE),
    ],
)
def test_dpia_is_due_after_three_years(network, dpia_on, expected):
    network.dpia_on = dpia_on
    assert status_of(network, "dpia") == expected


def test_dpia_is_due_at_once_after_a_technology_change(db, network):
    network.dpia_on = date(2026, 1, 1)
    network.technology_changes.append(TechnologyChange(changed_on=date(2025, 12, 1), description="Oud"))
    assert status_of(network, "dpia") == Status.OK  # a change before the DPIA is covered by it
    network.technology_changes.append(TechnologyChange(changed_on=date(2026, 3, 1), description="ANPR toegevoegd"))
    item = {item.key: item for item in legal.compliance(network, TODAY)}["dpia"]
    assert item.status == Status.OVERDUE and item.due_on == date(2026, 3, 1) and "ANPR toegevoegd" in item.note


def test_retention_above_the_maximum_is_not_ok(network):
    network.retention_days = 29  # the database refuses this; the pure function still says so
    assert status_of(network, "retention") == Status.OVERDUE


# --- services ---------------------------------------------------------------------------------------------------


def test_update_frame_sets_dates_and_audits(db, network, officer):
    changed = legal.update_frame(
        officer, network, dates={"dpia_on": date(2026, 1, 5), "convenant_signed_on": None}, today=TODAY
    )
    assert changed == ["dpia_on"] and network.dpia_on == date(2026, 1, 5)
    (event,) = actions(db, "cameras.legal_frame_updated")
    assert event.details["changes"] == {"dpia_on": [None, "2026-01-05"]}


def test_update_frame_refuses_future_dates_and_others(db, network, officer, park):
    with pytest.raises(DomainError):
        legal.update_frame(officer, network, dates={"dpia_on": TODAY + timedelta(days=1)}, today=TODAY)
    with pytest.raises(NotAllowed):
        legal.update_frame(factories.make_member(Role.ENTREPRENEUR, park), network, dates={}, today=TODAY)


def test_technology_change_is_recorded_and_audited(db, network, officer):
    change = legal.add_technology_change(
        officer, network, changed_on=date(2026, 5, 1), description=" ANPR toegevoegd ", today=TODAY
    )
    assert change.description == "ANPR toegevoegd"
    assert actions(db, "cameras.technology_change_added")[0].details["description"] == "ANPR toegevoegd"
    with pytest.raises(DomainError):
        legal.add_technology_change(officer, network, changed_on=date(2026, 5, 1), description="  ", today=TODAY)


def test_a_pdf_is_stored_outside_static_and_removed_with_its_row(app, db, network, officer, upload_storage):
    with app.test_request_context():
        document = legal.add_document(
            officer, network, kind=DocumentKind.DPIA, filename="C:\\x\\dpia.pdf", data=pdf_bytes()
        )
        key = f"camera-documents/{document.stored_name}"
        assert stored_keys(upload_storage, legal.SUBFOLDER) == [key]
        assert upload_storage.get(key) == legal.read(document) and legal.read(document).startswith(b"%PDF-")
        assert document.original_name == "dpia.pdf"
        assert actions(db, "cameras.document_added")[0].details["kind"] == "dpia"
        stored = legal.delete_document(officer, document)
        legal.remove_files([stored])
        assert upload_storage.get(key) is None and actions(db, "cameras.document_deleted")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<html><script>alert(1)</script></html>",
        b"%PDF-1.4\nnot really a pdf\n%%EOF",
        b"GIF89a%PDF-1.4",
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused(app, db, network, officer, data, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    with app.test_request_context():
        with pytest.raises(DomainError, match="geen PDF"):
            legal.add_document(officer, network, kind=DocumentKind.OTHER, filename="x.pdf", data=data)
        assert list(tmp_path.iterdir()) == []
    assert db.session.scalars(select(NetworkDocument)).all() == []


def test_a_too_big_pdf_is_refused(app, db, network, officer):
    app.config["CAMERA_DOCUMENT_MAX_BYTES"] = 1000
    try:
        with app.test_request_context(), pytest.raises(DomainError, match="groter dan"):
            legal.add_document(
                officer, network, kind=DocumentKind.OTHER, filename="x.pdf", data=pdf_bytes() + b" " * 1000
            )
    finally:
        del app.config["CAMERA_DOCUMENT_MAX_BYTES"]
    assert db.session.scalars(select(NetworkDocument)).all() == []


# --- views ------------------------------------------------------------------------------------------------------


def test_the_panel_is_shown_to_viewers_and_editing_to_editors(db, login_as, park, network, officer):
    advisor = factories.make_member(Role.ADVISOR, park)
    page = login_as(advisor).get(f"/parken/{park.id}/cameras/kader/")
    assert page.status_code == 200 and "Ontbreekt" in page.text and "bijwerken" not in page.text
    assert login_as(advisor).get(f"/parken/{park.id}/cameras/kader/data").status_code == 403
    page = login_as(officer).get(f"/parken/{park.id}/cameras/kader/")
    assert "bijwerken" in page.text
    entrepreneur = factories.make_member(Role.ENTREPRENEUR, park)
    assert login_as(entrepreneur).get(f"/parken/{park.id}/cameras/kader/").status_code == 403


def test_edit_dates_and_add_a_change_through_the_views(db, login_as, park, network, officer):
    client = login_as(officer)
    response = client.post(f"/parken/{park.id}/cameras/kader/data", data={"dpia_on": "2024-02-01"})
    assert response.status_code == 302
    response = client.post(
        f"/parken/{park.id}/cameras/kader/technologie", data={"changed_on": "2024-03-01", "description": "ANPR"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert network.dpia_on == date(2024, 2, 1) and network.technology_changes[0].description == "ANPR"
    bad = client.post(f"/parken/{park.id}/cameras/kader/data", data={"dpia_on": "2999-01-01"})
    assert bad.status_code == 422 and "toekomst" in bad.text


def test_upload_download_and_delete_a_document(db, login_as, park, other_park, network, officer, upload_storage):
    client = login_as(officer)
    response = client.post(
        f"/parken/{park.id}/cameras/kader/documenten/nieuw",
        data={"kind": "convenant", "file": (io.BytesIO(pdf_bytes()), "convenant.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = db.session.scalars(select(NetworkDocument)).one()
    served = client.get(f"/parken/{park.id}/cameras/kader/documenten/{document.id}")
    assert served.status_code == 200 and served.data.startswith(b"%PDF-")
    assert served.headers["X-Content-Type-Options"] == "nosniff" and "private" in served.headers["Cache-Control"]
    assert served.mimetype == "application/pdf"
    assert client.get(f"/parken/{other_park.id}/cameras/kader/documenten/{document.id}").status_code == 404
    key = f"camera-documents/{document.stored_name}"
    delete = f"/parken/{park.id}/cameras/kader/documenten/{document.id}/verwijderen"
    # the button asks first: nothing is deleted until the confirmation is posted
    asked = client.post(delete)
    assert asked.status_code == 200 and "Wilt u" in asked.text and 'name="confirmed" value="1"' in asked.text
    assert "kan niet worden teruggehaald" in asked.text and 'name="csrf_token"' in asked.text
    assert db.session.scalars(select(NetworkDocument)).all() == [document] and upload_storage.get(key) == served.data
    assert client.post(delete, data={"confirmed": "1"}).status_code == 302
    assert db.session.scalars(select(NetworkDocument)).all() == [] and upload_storage.get(key) is None


def test_uploading_something_else_is_refused_with_a_message(db, login_as, park, network, officer):
    response = login_as(officer).post(
        f"/parken/{park.id}/cameras/kader/documenten/nieuw",
        data={"kind": "dpia", "file": (io.BytesIO(b"MZ\x90\x00 program"), "dpia.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "geen PDF" in response.text
    assert db.session.scalars(select(NetworkDocument)).all() == []


def test_the_file_is_removed_when_the_row_cannot_be_written(app, db, network, officer, monkeypatch, upload_storage):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(legal.audit, "record", broken)
    with app.test_request_context():
        with pytest.raises(RuntimeError):
            legal.add_document(officer, network, kind=DocumentKind.DPIA, filename="dpia.pdf", data=pdf_bytes())
        assert stored_keys(upload_storage, legal.SUBFOLDER) == []


def test_the_file_is_removed_when_the_commit_fails(
    db, login_as, park, network, officer, failing_commit, upload_storage
):
    client = login_as(officer)
    with pytest.raises(RuntimeError, match="database gone"):
        client.post(
            f"/parken/{park.id}/cameras/kader/documenten/nieuw",
            data={"kind": "dpia", "file": (io.BytesIO(pdf_bytes()), "dpia.pdf")},
            content_type="multipart/form-data",
        )
    assert len(failing_commit) == 2
    assert stored_keys(upload_storage, legal.SUBFOLDER) == []


@pytest.mark.parametrize("path", ["data", "technologie", "documenten/nieuw"])
def test_forms_without_a_valid_token_or_network_write_nothing(db, login_as, park, admin, path):
    client = login_as(admin)
    assert client.get(f"/parken/{park.id}/cameras/kader/{path}").status_code == 404  # no network yet
    assert client.post(f"/parken/{park.id}/cameras/kader/{path}", data={}, csrf=False).status_code == 400
    response = client.post(
        f"/parken/{park.id}/cameras/kader/{path}", data={"changed_on": "2024-01-01", "description": "ANPR"}
    )
    assert response.status_code == 422  # the upload form misses its file; the others say why
    assert path == "documenten/nieuw" or "nog geen cameranetwerk" in response.text


VIEWERS = {Role.ADVISOR, Role.MUNICIPALITY, Role.CAMERA_OFFICER, Role.AUDITOR}
EDITORS = {Role.CAMERA_OFFICER, Role.MUNICIPALITY}


def test_role_matrix(app, db, login_as, park, network, officer, role):
    with app.test_request_context():
        document = legal.add_document(officer, network, kind=DocumentKind.OTHER, filename="a.pdf", data=pdf_bytes())
    document_id = document.id
    client = login_as(factories.make_member(role, park))
    base = f"/parken/{park.id}/cameras/kader"
    seen = 200 if role in VIEWERS else 403
    edit = 200 if role in EDITORS else 403
    assert client.get(f"{base}/").status_code == seen
    assert client.get(f"{base}/documenten/{document.id}").status_code == seen
    for path in ("data", "technologie", "documenten/nieuw"):
        assert client.get(f"{base}/{path}").status_code == edit, path
    deleted = client.post(f"{base}/documenten/{document.id}/verwijderen", data={"confirmed": "1"})
    assert deleted.status_code == (302 if role in EDITORS else 403)
    db.session.expire_all()
    assert (db.session.get(NetworkDocument, document_id) is None) == (role in EDITORS)
