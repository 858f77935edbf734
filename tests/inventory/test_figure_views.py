"""The figure pages: the yearly view, entry, import with preview through the pages, export."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app import imports
from app.audit.models import AuditEvent
from app.auth.models import Role
from app.extensions import db as _db
from app.inventory import figures
from app.inventory.models import Figure, FigureImport, FigureSource
from app.stakeholders.models import OrganisationType
from tests.factories import make_member, make_partner
from tests.inventory.conftest import TODAY

MANAGERS = {Role.ADVISOR, Role.MUNICIPALITY}
EDITORS = MANAGERS | {Role.PARTNER}


def _url(park, suffix=""):
    return f"/parken/{park.id}/cijfers/{suffix}"


def _add(park, **fields) -> Figure:
    values = {"source": FigureSource.POLITIE, "category": "inbraak_bedrijf", "year": 2024, "quarter": 0, "count": 9}
    figure = Figure(park=park, **(values | fields))
    _db.session.add(figure)
    _db.session.flush()
    return figure


def _figures(park) -> list[tuple]:
    _db.session.expire_all()
    return sorted(
        (f.category, f.year, f.quarter, f.count)
        for f in _db.session.scalars(select(Figure).where(Figure.park_id == park.id))
    )


def _member(role, park):
    """A member with `role`; a partner works for the police, whose figures they enter."""
    return make_partner(park) if role == Role.PARTNER else make_member(role, park)


def test_every_role_sees_the_table_and_chart_only_editors_the_buttons(login_as, park, role):
    _add(park, year=2023, count=7)
    _add(park)
    body = login_as(_member(role, park)).get(_url(park)).get_data(as_text=True)
    assert "Inbraak in bedrijfspand" in body
    assert '<svg class="vb-chart__svg"' in body and 'role="img"' in body
    assert "Verschil 2023-2024" in body and "+2 (+29%)" in body
    assert "style=" not in body
    assert ("Cijfers invoeren" in body) is (role in EDITORS)


def test_an_empty_park_says_so(login_as, park, advisor):
    body = login_as(advisor).get(_url(park)).get_data(as_text=True)
    assert "Er zijn nog geen cijfers voor dit park." in body


def test_a_figure_is_entered_corrected_and_deleted_through_the_pages(login_as, park, advisor):
    client = login_as(advisor)
    page = client.get(_url(park, "invoeren"))
    assert page.status_code == 200 and "<optgroup" in page.get_data(as_text=True)
    data = {"category": "politie:inbraak_bedrijf", "year": "2024", "quarter": "", "count": "12"}
    response = client.post(_url(park, "invoeren"), data=data)
    assert response.status_code == 302
    assert "Het cijfer is opgeslagen." in client.get(response.headers["Location"]).get_data(as_text=True)
    figure_id = _db.session.scalar(select(Figure.id))
    prefilled = client.get(_url(park, f"invoeren?figuur={figure_id}")).get_data(as_text=True)
    assert 'value="12"' in prefilled
    response = client.post(_url(park, "invoeren"), data=data | {"count": "13"}, follow_redirects=True)
    assert "Het cijfer is gecorrigeerd." in response.get_data(as_text=True)
    assert _figures(park) == [("inbraak_bedrijf", 2024, 0, 13)]
    response = client.post(_url(park, f"{figure_id}/verwijderen"), data={"bevestigd": "ja"}, follow_redirects=True)
    assert "is verwijderd" in response.get_data(as_text=True)
    assert _figures(park) == []


def test_wrong_input_is_shown_on_the_form_with_422(login_as, park, advisor):
    client = login_as(advisor)
    _add(park, quarter=1, count=3)
    for data, message in [
        ({"category": "politie:bestaat_niet", "year": "2024", "count": "1"}, "hoort niet bij de bron"),
        ({"category": "politie:inbraak_bedrijf", "year": "1900", "count": "1"}, "Het jaar ligt tussen 2000"),
        ({"category": "politie:inbraak_bedrijf", "year": "2024", "count": "-4"}, "heel getal"),
        (
            {"category": "politie:inbraak_bedrijf", "year": "2024", "quarter": "", "count": "4"},
            "al cijfers per kwartaal",
        ),
        ({"category": "", "year": "", "count": ""}, "Kies een bron."),
    ]:
        response = client.post(_url(park, "invoeren"), data=data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert _figures(park) == [("inbraak_bedrijf", 2024, 1, 3)]


def test_a_correction_link_of_another_park_is_ignored(login_as, park, other_park, advisor):
    foreign = _add(other_park, count=77)
    body = login_as(advisor).get(_url(park, f"invoeren?figuur={foreign.id}")).get_data(as_text=True)
    assert 'value="77"' not in body


def test_upload_preview_confirm_through_the_pages(login_as, park, advisor):
    client = login_as(advisor)
    csv = "bron;categorie;jaar;kwartaal;aantal\r\npolitie;inbraak_bedrijf;2024;;14\r\npolitie;nee;2024;;1\r\n"
    response = client.post(_url(park, "importeren"), data={"file": (io.BytesIO(csv.encode()), "cijfers.csv")})
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    assert re.fullmatch(rf"{_url(park)}importeren/\d+", preview_url)
    body = client.get(preview_url).get_data(as_text=True)
    assert "Controle van cijfers.csv" in body and "Nieuw" in body and "Afgewezen" in body
    assert "Bevestigen: 1 cijfer verwerken" in body
    assert _figures(park) == []
    only = client.get(preview_url + "?uitkomst=reject").get_data(as_text=True)
    assert "hoort niet bij de bron" in only and "Inbraak in bedrijfspand" not in only
    response = client.post(preview_url + "/bevestigen", follow_redirects=True)
    assert "De import is verwerkt: 1 toegevoegd, 0 bijgewerkt, 0 ongewijzigd, 1 afgewezen." in response.get_data(
        as_text=True
    )
    assert _figures(park) == [("inbraak_bedrijf", 2024, 0, 14)]
    again = client.post(preview_url + "/bevestigen", follow_redirects=True)
    assert "Deze import is al verwerkt." in again.get_data(as_text=True)
    assert _figures(park) == [("inbraak_bedrijf", 2024, 0, 14)]
    assert "Deze import is verwerkt op" in client.get(preview_url).get_data(as_text=True)


def test_upload_errors_are_shown_on_the_form(login_as, park, advisor):
    client = login_as(advisor)
    for name, data, message in [
        ("leeg.csv", b"", "Het bestand is leeg."),
        ("x.csv", b"foo;bar\r\n1;2\r\n", "ontbreken de kolommen"),
        ("x.exe", b"MZ\x90\x00", "Kies een CSV-bestand"),
    ]:
        response = client.post(_url(park, "importeren"), data={"file": (io.BytesIO(data), name)})
        assert response.status_code == 422, name
        assert message in response.get_data(as_text=True), name
    response = client.post(_url(park, "importeren"), data={})
    assert response.status_code == 422 and "Kies een bestand." in response.get_data(as_text=True)
    assert _db.session.scalars(select(FigureImport)).all() == []


def test_upload_over_20_mb_is_refused_before_it_is_read(login_as, park, advisor):
    client = login_as(advisor)
    data = b"bron;categorie;jaar;aantal\r\n" + b"x" * (imports.MAX_IMPORT_BYTES + 100_000)
    upload = FileStorage(io.BytesIO(data), filename="groot.csv", content_type="text/csv")
    boundary, body = encode_multipart({"csrf_token": client.csrf_token(), "file": upload})
    response = client.post(
        _url(park, "importeren"), data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    assert "Het bestand is groter dan 20 MB." in response.get_data(as_text=True)
    assert _db.session.scalars(select(FigureImport)).all() == []


def test_a_stale_preview_sends_the_user_back_to_the_upload(login_as, park, advisor):
    client = login_as(advisor)
    csv = b"bron;categorie;jaar;aantal\r\npolitie;inbraak_bedrijf;2024;14\r\n"
    preview_url = client.post(_url(park, "importeren"), data={"file": (io.BytesIO(csv), "c.csv")}).headers["Location"]
    _add(park, count=1)
    response = client.post(preview_url + "/bevestigen")
    assert response.headers["Location"].endswith(_url(park, "importeren"))
    assert _figures(park) == [("inbraak_bedrijf", 2024, 0, 1)]


def test_the_export_downloads_for_every_role(login_as, park, role):
    _add(park)
    response = login_as(make_member(role, park)).get(_url(park, "exporteren"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert re.fullmatch(
        r"attachment; filename=cijfers-lage-weide-\d{4}-\d\d-\d\d\.csv", response.headers["Content-Disposition"]
    )
    assert "politie;inbraak_bedrijf;2024;;9" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "suffix",
    ["invoeren", "importeren"],
)
def test_edit_pages_by_role(login_as, park, role, suffix):
    status = login_as(_member(role, park)).get(_url(park, suffix)).status_code
    assert status == (200 if role in EDITORS else 403)


def test_a_partner_is_offered_only_their_own_organisations_figures(login_as, park):
    _add(park, source=FigureSource.MOR, category="afvaldumping")
    _add(park)
    client = login_as(make_partner(park))
    body = client.get(_url(park, "invoeren")).get_data(as_text=True)
    assert '<optgroup label="Politie">' in body and 'value="politie:overval"' in body
    assert "brandweer:" not in body and "mor:" not in body and "beveiliging:" not in body
    assert "U voert de cijfers van uw eigen organisatie in" in body
    # only the police figure has its correct and delete buttons
    assert body.count(">Corrigeren</a>") == 1 and body.count(">Verwijderen</button>") == 1
    assert "Van een andere organisatie" in body
    upload = client.get(_url(park, "importeren")).get_data(as_text=True)
    assert "<code>politie</code>" in upload and "<code>mor</code>" not in upload


def test_a_partner_whose_organisation_keeps_no_figures_is_refused_with_the_reason(login_as, park):
    client = login_as(make_partner(park, OrganisationType.DOUANE))
    assert "Cijfers invoeren" not in client.get(_url(park)).get_data(as_text=True)
    for suffix in ("invoeren", "importeren"):
        response = client.get(_url(park, suffix))
        assert response.status_code == 403
        assert "Uw organisatie heeft geen eigen cijfers voor dit park" in response.get_data(as_text=True)


def test_a_forged_post_for_another_organisations_figures_is_a_403_and_writes_nothing(login_as, park):
    municipal = _add(park, source=FigureSource.MOR, category="afvaldumping", count=4)
    client = login_as(make_partner(park))
    for category in ("mor:afvaldumping", "brandweer:buitenbrand"):
        data = {"category": category, "year": "2024", "quarter": "", "count": "40"}
        response = client.post(_url(park, "invoeren"), data=data)
        assert response.status_code == 403, category
        assert "zijn van een andere organisatie; er is niets opgeslagen." in response.get_data(as_text=True)
    deleted = client.post(_url(park, f"{municipal.id}/verwijderen"), data={"bevestigd": "ja"})
    assert deleted.status_code == 403
    assert "De cijfers van de bron Meldingen openbare ruimte (MOR)" in deleted.get_data(as_text=True)
    assert _figures(park) == [("afvaldumping", 2024, 0, 4)]
    assert _db.session.scalars(select(AuditEvent)).all() == []


def test_a_partner_confirming_another_organisations_rows_gets_a_403(login_as, park, advisor):
    text = b"bron;categorie;jaar;kwartaal;aantal\r\nbrandweer;buitenbrand;2024;;5\r\n"
    preview = figures.preview_import(advisor, park, "x.csv", text, now=datetime.now(UTC), today=TODAY)
    client = login_as(make_partner(park))
    response = client.post(_url(park, f"importeren/{preview.id}/bevestigen"))
    assert response.status_code == 403
    assert "De cijfers van de bron Brandweer zijn van een andere organisatie" in response.get_data(as_text=True)
    assert _figures(park) == []


def test_objects_of_another_park_are_404_and_readers_are_refused(login_as, park, other_park, advisor):
    foreign_figure = _add(other_park)
    foreign_import = FigureImport(park=other_park, user_id=advisor.id, filename="x.csv", rows=[])
    own_import = FigureImport(park=park, user_id=advisor.id, filename="x.csv", rows=[])
    _db.session.add_all([foreign_import, own_import])
    _db.session.flush()
    client = login_as(advisor)
    assert client.post(_url(park, f"{foreign_figure.id}/verwijderen"), data={"bevestigd": "ja"}).status_code == 404
    assert client.get(_url(park, f"importeren/{foreign_import.id}")).status_code == 404
    assert client.post(_url(park, f"importeren/{foreign_import.id}/bevestigen")).status_code == 404
    entrepreneur = login_as(make_member(Role.ENTREPRENEUR, park))
    own_figure = _add(park)
    assert entrepreneur.post(_url(park, f"{own_figure.id}/verwijderen"), data={"bevestigd": "ja"}).status_code == 403
    assert entrepreneur.get(_url(park, f"importeren/{own_import.id}")).status_code == 403
    assert entrepreneur.post(_url(park, f"importeren/{own_import.id}/bevestigen")).status_code == 403
    assert _figures(park) == [("inbraak_bedrijf", 2024, 0, 9)]
