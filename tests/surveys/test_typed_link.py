"""The short link a letter prints (/e/k7m4-x9wq-3hpr-a2bc): typed from paper in any case and spacing, it reaches
the same invitation as the token link; a typo reaches no other company's survey; the old links keep working."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.auth.models import Role
from app.surveys import invitations
from app.surveys.invitations import TYPED_ALPHABET, find_by_typed_code, find_invitation, typed_code
from app.surveys.models import InvitationStatus
from tests.factories import link_of, make_company, make_invitation, make_member


@pytest.fixture
def invited(survey):
    companies = [make_company(survey.park, name=f"Bedrijf {number}", house_number=number) for number in range(1, 6)]
    return [make_invitation(survey, company=company, sector=None) for company in companies]


def test_the_code_has_no_characters_that_look_alike_and_comes_in_groups(invited):
    for invitation in invited:
        code = typed_code(invitation.link_id)
        assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", code)
        assert not set(code) & set("01lIoO")
    assert not set(TYPED_ALPHABET) & set("01lIoO")
    assert len({typed_code(i.link_id) for i in invited}) == len(invited)


def test_any_case_and_spacing_finds_the_same_invitation(invited):
    invitation = invited[2]
    code = typed_code(invitation.link_id)
    plain = code.replace("-", "")
    for typed in (code, code.upper(), plain, plain.upper(), " ".join(code.split("-")), f" {code.title()} ", code + "-"):
        assert find_by_typed_code(typed) is invitation, typed


def test_a_one_character_typo_reaches_no_survey(invited):
    code = typed_code(invited[0].link_id).replace("-", "")
    for position in range(len(code)):
        for char in TYPED_ALPHABET:
            if char != code[position]:
                assert find_by_typed_code(code[:position] + char + code[position + 1 :]) is None
    # swapped neighbours, a character left out or one too many
    assert find_by_typed_code(code[1] + code[0] + code[2:]) is None
    assert find_by_typed_code(code[:-1]) is None
    assert find_by_typed_code(code + "a") is None


@pytest.mark.parametrize(
    "typed", ["", "abcd-efgh", "0000-0000-0000-0000", "llll-iiii-oooo-1111", "é" * 16, "\x00" * 16]
)
def test_what_is_no_code_finds_nothing(invited, typed):
    assert find_by_typed_code(typed) is None


def test_the_short_link_leads_to_the_questionnaire(client, db, invited):
    invitation = invited[1]
    code = typed_code(invitation.link_id)

    response = client.get(f"/e/{code.upper().replace('-', '')}")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/enquete/{link_of(invitation)}")
    assert response.headers["Cache-Control"] == "no-store"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and 'id="survey-definition"' in page.get_data(as_text=True)
    db.session.expire_all()
    assert invitation.status == InvitationStatus.OPENED


@pytest.mark.parametrize("path", ["/e/abcd-efgh-jkmn-pqrs", "/e/x", "/e/" + "a" * 500, "/e/%00"])
def test_an_unknown_short_link_is_the_unknown_link_page(client, invited, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


def test_a_revoked_invitation_is_not_reached_by_its_short_link(client, invited, survey):
    invitations.revoke(make_member(Role.ADVISOR, survey.park), invited[0], now=datetime.now(UTC))
    response = client.get(f"/e/{typed_code(invited[0].link_id)}", follow_redirects=True)
    assert response.status_code == 404


def test_the_token_link_and_the_short_code_name_the_same_invitation(invited):
    for invitation in invited:
        assert find_invitation(link_of(invitation)) is invitation
        assert find_by_typed_code(typed_code(invitation.link_id)) is invitation


def test_the_code_depends_on_the_secret(app, invited, monkeypatch):
    code = typed_code(invited[0].link_id)
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret-key-for-this-test-only")
    assert typed_code(invited[0].link_id) != code
    assert find_by_typed_code(code) is None
