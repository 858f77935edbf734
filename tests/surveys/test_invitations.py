"""Personal invitations: made for the register, revoked, mailed with the letter, found by token; the advisor's
pages for them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError, NotAllowed
from app.mail.services import queue_draft
from app.surveys import invitations
from app.surveys.models import InvitationStatus, SurveyInvitation, SurveyStatus
from tests.factories import link_of, make_company, make_member, make_park
from tests.surveys.test_letter import pdf_pages

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anna Adviseur")


@pytest.fixture
def companies(park):
    return [
        make_company(park, name="Transport Van Dam", house_number=1, sector="transport", email="info@vandam.nl"),
        make_company(park, name="Bakkerij De Korenaar", house_number=2, sector="voeding", email="post@korenaar.nl"),
        make_company(park, name="Garage Zonder Mail", house_number=3, sector="auto", email=None),
    ]


def _by_company(survey) -> dict[str, SurveyInvitation]:
    return {i.company.name: i for i in survey.invitations}


# Making invitations ----------------------------------------------------------------------------------------


def test_one_invitation_per_company_with_an_unguessable_token_and_the_sector(db, survey, companies, advisor):
    created = invitations.invite_companies(advisor, survey)

    assert sorted(i.company.name for i in created) == sorted(c.name for c in companies)
    tokens = [link_of(i) for i in created]
    assert len(set(tokens)) == len(tokens)
    assert all(len(token) >= 32 for token in tokens)
    assert {i.company.name: i.sector for i in created}["Transport Van Dam"] == "transport"
    assert all(i.status == InvitationStatus.INVITED for i in created)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "surveys.invitations_created"))
    assert event.details == {"count": 3} and event.park_id == survey.park_id


def test_companies_that_have_one_get_no_second(db, survey, park, companies, advisor):
    invitations.invite_companies(advisor, survey)
    invitations.revoke(advisor, survey.invitations[0], now=NOW)
    newcomer = make_company(park, name="Nieuwkomer", house_number=9)

    created = invitations.invite_companies(advisor, survey)

    assert [i.company for i in created] == [newcomer]
    assert invitations.invite_companies(advisor, survey) == []
    assert len(survey.invitations) == 4


def test_no_invitations_for_a_closed_survey(survey, companies, advisor):
    survey.status = SurveyStatus.CLOSED
    with pytest.raises(DomainError, match="gesloten"):
        invitations.invite_companies(advisor, survey)


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.PARTNER, Role.AUDITOR, Role.CAMERA_OFFICER])
def test_only_advisors_and_the_municipality_invite(survey, park, companies, role):
    with pytest.raises(NotAllowed):
        invitations.invite_companies(make_member(role, park), survey)


def test_the_municipality_may(survey, park, companies):
    assert len(invitations.invite_companies(make_member(Role.MUNICIPALITY, park), survey)) == 3


# Revoking --------------------------------------------------------------------------------------------------


def test_revoke(db, survey, companies, advisor):
    invitations.invite_companies(advisor, survey)
    invitation = _by_company(survey)["Transport Van Dam"]

    invitations.revoke(advisor, invitation, now=NOW)

    assert invitation.status == InvitationStatus.REVOKED
    assert invitation.revoked_at == NOW
    with pytest.raises(DomainError, match="al ingetrokken"):
        invitations.revoke(advisor, invitation, now=NOW)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "surveys.invitation_revoked"))


def test_a_used_invitation_cannot_be_revoked(survey, companies, advisor):
    invitations.invite_companies(advisor, survey)
    invitation = survey.invitations[0]
    invitation.status = InvitationStatus.USED
    with pytest.raises(DomainError, match="al gebruikt"):
        invitations.revoke(advisor, invitation, now=NOW)


def test_revoking_is_for_managers_only(survey, park, companies, advisor):
    invitations.invite_companies(advisor, survey)
    with pytest.raises(NotAllowed):
        invitations.revoke(make_member(Role.ENTREPRENEUR, park), survey.invitations[0], now=NOW)


# Finding by token ------------------------------------------------------------------------------------------


def test_find_invitation(survey, companies, advisor):
    invitations.invite_companies(advisor, survey)
    invitation = survey.invitations[0]
    assert invitations.find_invitation(link_of(invitation)) is invitation
    token = link_of(invitation)
    for guess in ("", None, token[:-1], token.upper(), "x" * 65, token + "x", invitation.link_id):
        assert invitations.find_invitation(guess) is None


def test_the_database_keeps_no_personal_link(app, db, survey, companies, advisor):
    """A copy of the database (or a backup) alone lets no one answer for a company: no column of any table holds
    a link token, while the server derives the same link again for a second print of the letter."""
    invitations.invite_companies(advisor, survey)
    db.session.commit()
    tokens = {link_of(i) for i in survey.invitations}
    connection = db.session.connection()
    dump = "\n".join(repr(connection.execute(table.select()).all()) for table in db.metadata.sorted_tables)
    assert not [token for token in tokens if token in dump]
    assert {link_of(i) for i in db.session.scalars(select(SurveyInvitation))} == tokens  # printed again: the same


def test_a_new_secret_key_changes_every_link(app, survey, companies, advisor, monkeypatch):
    invitations.invite_companies(advisor, survey)
    invitation = survey.invitations[0]
    before = link_of(invitation)
    assert invitations.find_invitation(before) is invitation
    monkeypatch.setitem(app.config, "SECRET_KEY", "een-andere-geheime-sleutel-van-minstens-32-tekens")
    assert link_of(invitation) != before
    assert invitations.find_invitation(before) is None  # links already sent stop working
    assert invitations.find_invitation(link_of(invitation)) is invitation  # a letter printed again works


def test_find_public_survey(survey):
    assert invitations.find_public_survey(None) is None
    survey.public_token = "publiek-token-van-de-enquete-12345"
    assert invitations.find_public_survey("publiek-token-van-de-enquete-12345") is survey
    assert invitations.find_public_survey("publiek-token-van-de-enquete-1234") is None


# Mailing ---------------------------------------------------------------------------------------------------


def test_email_queues_the_mail_with_the_companys_own_letter(app, survey, companies, advisor, outbox, monkeypatch):
    invitations.invite_companies(advisor, survey)
    monkeypatch.setitem(app.config, "BASE_URL", "https://vb.example.nl")
    with app.test_request_context(base_url="https://evil.example"):  # links come from BASE_URL, not the request
        queued = invitations.email_invitations(advisor, survey, now=NOW)

    assert queued == 2
    mails = {mail.recipient: mail for mail in outbox()}
    assert set(mails) == {"info@vandam.nl", "post@korenaar.nl"}
    by_company = _by_company(survey)
    for recipient, company in (("info@vandam.nl", "Transport Van Dam"), ("post@korenaar.nl", "Bakkerij De Korenaar")):
        invitation = by_company[company]
        link = f"https://vb.example.nl/enquete/{link_of(invitation)}"
        mail = mails[recipient]
        assert link in mail.text_body and f'href="{link}"' in mail.html_body
        assert company in mail.text_body
        assert mail.subject == f"Uitnodiging: enquête veiligheid op {survey.park.name}"
        (attachment,) = mail.attachments
        assert attachment.content_type == "application/pdf"
        # the attached letter prints the short link to type, which leads to the same invitation
        (page,) = pdf_pages(attachment.data)
        assert page[1] == [f"https://vb.example.nl/e/{invitations.typed_code(invitation.link_id)}"]
        assert company in page[0]
        assert invitation.emailed_at == NOW
    assert by_company["Garage Zonder Mail"].emailed_at is None


def test_each_invitation_is_mailed_once_and_never_when_used_or_revoked(app, survey, park, companies, advisor, outbox):
    invitations.invite_companies(advisor, survey)
    by_company = _by_company(survey)
    by_company["Transport Van Dam"].status = InvitationStatus.USED
    invitations.revoke(advisor, by_company["Bakkerij De Korenaar"], now=NOW)
    with app.test_request_context():
        assert invitations.email_invitations(advisor, survey, now=NOW) == 0
        make_company(park, name="Laatkomer", house_number=10, email="laat@example.nl")
        invitations.invite_companies(advisor, survey)
        assert invitations.email_invitations(advisor, survey, now=NOW) == 1
        assert invitations.email_invitations(advisor, survey, now=NOW) == 0
    assert [mail.recipient for mail in outbox()] == ["laat@example.nl"]


@pytest.mark.parametrize("status", [SurveyStatus.DRAFT, SurveyStatus.CLOSED])
def test_mails_only_go_out_while_the_survey_is_open(app, survey, companies, advisor, outbox, status):
    invitations.invite_companies(advisor, survey)
    survey.status = status
    with app.test_request_context(), pytest.raises(DomainError, match="open"):
        invitations.email_invitations(advisor, survey, now=NOW)
    assert outbox() == []


def test_mailing_is_for_managers_only(app, survey, park, companies, advisor):
    invitations.invite_companies(advisor, survey)
    with app.test_request_context(), pytest.raises(NotAllowed):
        invitations.email_invitations(make_member(Role.PARTNER, park), survey, now=NOW)


# The advisor's pages ---------------------------------------------------------------------------------------


def _url(park, path: str = "") -> str:
    return f"/parken/{park.id}/enquete/uitnodigingen/{path}"


def test_the_page_lists_the_invitations(login_as, survey, park, companies, advisor):
    client = login_as(advisor)
    page = client.get(_url(park)).get_data(as_text=True)
    assert "3 bedrijven in het register hebben nog geen uitnodiging." in page

    response = client.post(_url(park, "aanmaken"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Er zijn 3 uitnodigingen aangemaakt." in page
    for company in companies:
        assert company.name in page
    assert "transport" in page
    assert "Alle bedrijven in het register hebben een uitnodiging." in page
    assert "2 uitnodigingen per e-mail versturen" in page
    assert "Brieven downloaden (PDF, 3)" in page
    assert "1 bedrijven hebben geen e-mailadres" in page


def test_email_revoke_and_letters_through_the_pages(login_as, survey, park, companies, advisor, outbox, db):
    client = login_as(advisor)
    client.post(_url(park, "aanmaken"))
    response = client.post(_url(park, "versturen"), follow_redirects=True)
    assert "Er staan 2 uitnodigingen klaar om per e-mail te worden verstuurd." in response.get_data(as_text=True)
    assert len(outbox()) == 2
    assert outbox()[0].text_body.count("http://127.0.0.1:5000/enquete/") == 1  # BASE_URL

    db.session.expire_all()
    revoked = _by_company(survey)["Transport Van Dam"]
    # the list asks first (a dialog with JavaScript); without the confirmation the post only asks, on a page
    listing = client.get(_url(park, "")).get_data(as_text=True)
    assert 'data-vb-confirm="De uitnodiging van Transport Van Dam intrekken?' in listing
    asked = client.post(_url(park, f"{revoked.id}/intrekken"))
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "De uitnodiging van Transport Van Dam intrekken?" in page
    assert 'name="bevestigd" value="ja"' in page and "Ja, intrekken" in page
    db.session.expire_all()
    assert _by_company(survey)["Transport Van Dam"].revoked_at is None
    response = client.post(_url(park, f"{revoked.id}/intrekken"), data={"bevestigd": "ja"}, follow_redirects=True)
    assert "De uitnodiging van Transport Van Dam is ingetrokken" in response.get_data(as_text=True)
    response = client.post(_url(park, f"{revoked.id}/intrekken"), data={"bevestigd": "ja"}, follow_redirects=True)
    assert "Deze uitnodiging is al ingetrokken." in response.get_data(as_text=True)

    response = client.get(_url(park, "brieven.pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "brieven-enquete-lage-weide.pdf" in response.headers["Content-Disposition"]
    pages = pdf_pages(response.data)
    assert len(pages) == 2  # the revoked one gets no letter
    db.session.expire_all()
    expected = [invitations.typed_code(i.link_id) for i in survey.invitations if i.status != InvitationStatus.REVOKED]
    assert sorted(codes[0].rsplit("/e/", 1)[1] for _text, codes in pages) == sorted(expected)


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("post", "aanmaken"), ("post", "versturen"), ("get", "brieven.pdf")],
)
def test_pages_by_role(login_as, survey, park, role, method, path):
    response = getattr(login_as(make_member(role, park)), method)(_url(park, path))
    assert response.status_code == (
        403 if role not in {Role.ADVISOR, Role.MUNICIPALITY} else (200 if method == "get" else 302)
    )


def test_another_parks_invitation_is_not_found(login_as, survey, park, companies, advisor):
    invitations.invite_companies(advisor, survey)
    other = make_park(name="Papendorp")
    client = login_as(make_member(Role.ADVISOR, other))
    invitation = survey.invitations[0]
    assert client.post(_url(other, f"{invitation.id}/intrekken"), data={"bevestigd": "ja"}).status_code == 404
    assert client.post(_url(park, f"{invitation.id}/intrekken"), data={"bevestigd": "ja"}).status_code == 404
    assert login_as(advisor).post(_url(park, "999999/intrekken"), data={"bevestigd": "ja"}).status_code == 404


def test_a_park_without_a_survey(login_as, db):
    park = make_park(name="Zonder Enquête")
    client = login_as(make_member(Role.ADVISOR, park))
    assert "Dit park heeft nog geen enquête." in client.get(_url(park)).get_data(as_text=True)
    assert client.post(_url(park, "aanmaken")).status_code == 404
    assert client.get(_url(park, "brieven.pdf")).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, survey, park):
    response = client.get(_url(park))
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")


def test_the_invitation_and_reminder_mails_are_previewed_without_sending(
    login_as, survey, park, companies, advisor, outbox, db
):
    client = login_as(advisor)
    url = _url(park, "voorbeeld-mail")
    assert "Maak eerst de uitnodigingen aan." in client.get(url).get_data(as_text=True)
    client.post(_url(park, "aanmaken"))
    assert f'href="{url}"' in client.get(_url(park, "")).get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Er is niets verstuurd." in page and "Uitnodiging: enquête veiligheid op Lage Weide" in page
    assert "uitnodiging-enquete.pdf" in page
    # an example link, never a company's working personal link
    assert "/enquete/voorbeeld" in page
    reminder = client.get(url + "?soort=herinnering").get_data(as_text=True)
    assert "Herinnering: enquête veiligheid op Lage Weide" in reminder
    assert outbox() == []
    db.session.expire_all()
    assert all(i.emailed_at is None and i.last_reminded_at is None for i in survey.invitations)


def test_each_company_gets_its_mails_in_its_own_language(app, survey, companies, advisor, outbox):
    """The invitation and the reminder are written in the company's language (`Company.language`), not the
    sender's: an English-speaking company reads English, the others Dutch."""
    companies[1].language = "en"
    invitations.invite_companies(advisor, survey)
    with app.test_request_context():
        invitations.email_invitations(advisor, survey, now=NOW)
        for invitation in survey.invitations:
            if invitation.company.email:
                queue_draft(invitations.reminder_mail(invitation))
    mails = {(m.recipient, m.subject.split(":")[0]): m for m in outbox()}
    park = survey.park.name
    dutch = mails[("info@vandam.nl", "Uitnodiging")]
    assert dutch.locale == "nl" and dutch.subject == f"Uitnodiging: enquête veiligheid op {park}"
    assert "Beste Transport Van Dam," in dutch.text_body
    english = mails[("post@korenaar.nl", "Invitation")]
    assert english.locale == "en" and english.subject == f"Invitation: safety survey on {park}"
    assert "Dear Bakkerij De Korenaar," in english.text_body
    assert "Beste" not in english.text_body and "enquête" not in english.html_body
    reminder = mails[("post@korenaar.nl", "Reminder")]
    assert reminder.locale == "en" and "Dear Bakkerij De Korenaar," in reminder.text_body
    assert mails[("info@vandam.nl", "Herinnering")].locale == "nl"
