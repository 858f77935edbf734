"""The survey's promise, tried as an attacker: "your answers cannot be traced to your company".

The attacker is an advisor, the role that may see the most of a survey (every page of the park, the raw export,
the free text, the API). They collect everything they can reach, after the first answer, while the survey runs,
after it closed, and after it was opened again for one late company, and they know which company answered when
(the invitation list says so). The same park is run twice: the same companies answer at the same moments, but
who gave which answers is swapped around. Whatever the attacker collects must be the same both times: then
nothing they see depends on which company gave which answers, whatever field a page, export, PDF, API answer or
audit row may carry now or later. On top of that, the export is checked against what the attacker knows of every
company (its sector and size, whether it used the public link): no combination singles out fewer than k rows.

A new page or field that shows a response's moment, order, or its answers in a group smaller than k makes this
test fail, naming the page.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from flask import url_for
from openpyxl import load_workbook

from app.api import tokens
from app.api.models import ApiScope
from app.auth.models import Role
from app.extensions import db
from app.parks.services import active_cycle
from app.stakeholders.models import OrganisationType
from app.surveys import invitations, services
from app.surveys.definition import load_default
from app.surveys.models import Survey, SurveyStatus
from app.surveys.services import DEFAULT_LETTER
from tests.api.conftest import ApiClient
from tests.factories import link_of, make_company, make_membership, make_organisation, make_park, make_user
from tests.stakeholders import pdf_text
from tests.surveys.support import proof_for

K = 3
#: what the attacker knows of each company: its sector and size
COMPANIES = [
    ("Transport Van Dam", "groothandel_logistiek", "10-49"),
    ("Bakkerij De Korenaar", "productie", "2-9"),
    ("Metaalbewerking Jansen", "productie", "10-49"),
    ("Bouwbedrijf Pieters", "bouw", "2-9"),
    ("Garage De Hoek", "detailhandel", "2-9"),
    ("Drukkerij Vos", "productie", "10-49"),
    ("Adviesbureau Smit", "zakelijke_dienstverlening", "1"),
]
LATE = ("Cateraar Bakker", "horeca", "250+")
#: someone who answers through the public link: not a company the attacker can name
PUBLIC = ("(openbare link)", "overig", "1")
#: who answers, in this order
RESPONDENTS = [*COMPANIES[:3], PUBLIC, *COMPANIES[3:]]
#: after which answers the attacker looks (counting from 0): the first, the first k+1 (different answers in the two
#: runs, and enough to show), and all
SNAPSHOTS = (0, K, len(RESPONDENTS) - 1)


def answers_of(number: int, company: tuple[str, str, str]) -> dict:
    """An answer set, different for every `number`, with the company's own sector and size."""
    _name, sector, size = company
    return {
        "sector": sector,
        "size": size,
        "hours": [["overdag"], ["avond", "nacht"], ["weekend"], ["overdag", "weekend"]][number % 4],
        "safe_day": 1 + number % 5,
        "safe_dark": 1 + (number * 2) % 5,
        "grade": 1 + number % 10,
        "victimisation": {"inbraak": ["nee", "1", "2-3"][number % 3]},
        "know_where": number % 2 == 0,
        "remarks": f"Opmerking nummer {number}: de verlichting bij de ingang",
    }


ANSWERS = [answers_of(number, respondent) for number, respondent in enumerate(RESPONDENTS)]
LATE_ANSWERS = [answers_of(20, LATE), answers_of(21, LATE)]


def _file_text(response) -> str:
    kind = response.mimetype
    if kind == "application/pdf":
        return pdf_text(response.data)
    if kind.startswith("application/vnd.openxmlformats"):
        sheet = load_workbook(io.BytesIO(response.data)).active
        return "\n".join(repr(row) for row in sheet.values)
    try:
        return response.get_data(as_text=True)
    except UnicodeDecodeError:  # an image: the same bytes or not
        return f"{kind} sha256:{hashlib.sha256(response.data).hexdigest()}"


_MASKS = [
    # the session's CSRF token, in every form (also prefixed ones: "ceremony-csrf_token")
    (re.compile(r'(csrf_token"[^>]*? value=)"[^"]*"'), r'\1""'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    # setting up the second factor: a new random key each time, as text and as a QR code
    (re.compile(r'(<div class="vb-qr">).*?(</div>)', re.S), r"\1\2"),
    (re.compile(r"(data-totp-secret>)[^<]*"), r"\1"),
]


def _canonical(text: str, world: World) -> str:
    # random in each run: the token's secret (and the beginning of it that the token page shows), and the personal
    # links (the same company's link stands for the same company in both runs)
    for secret in (world.api.secret, world.api.secret[:12]):
        text = text.replace(secret, "…")
    for company, token in world.links.items():
        text = text.replace(token, f"<link of {company}>")
    text = text.replace(world.survey.public_token, "<public link>")
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


class World:
    """One run: a park with its advisor (web and API) and the register, and an open survey with invitations."""

    def __init__(self, app) -> None:
        municipality = make_organisation(name="Gemeente Proef", type=OrganisationType.GEMEENTE)
        self.park = make_park(name="Bedrijvenpark Anoniem", municipality=municipality)
        self.advisor = make_user(email="adviseur@example.nl", name="Anna Adviseur")
        make_membership(self.advisor, Role.ADVISOR, park=self.park)
        for house_number, (name, sector, _size) in enumerate([*COMPANIES, LATE], start=1):
            make_company(self.park, name=name, house_number=house_number, sector=sector)
        today = date.today()
        self.survey = Survey(
            park=self.park,
            cycle=active_cycle(self.park),
            title="Enquête veiligheid",
            definition=load_default(),
            status=SurveyStatus.DRAFT,
            letter_text=DEFAULT_LETTER,
        )
        db.session.add(self.survey)
        db.session.flush()
        services.open_survey(
            self.advisor,
            self.survey,
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=20),
            today=today,
        )
        invitations.invite_companies(self.advisor, self.survey)
        services.set_public_link(self.advisor, self.survey, True)
        db.session.commit()
        # the token of each personal link, and the short code its letter prints
        self.links = {i.company.name: link_of(i) for i in self.survey.invitations} | {
            f"{i.company.name} (printed)": invitations.typed_code(i.link_id) for i in self.survey.invitations
        }
        self.web = app.test_client().login(self.advisor)
        secret = tokens.create_token(self.advisor, name="Koppeling", scope=ApiScope.READ, now=_now()).secret
        db.session.commit()
        self.api = ApiClient(app, secret)

    def answer(self, client, respondent: str, answers: dict, contact: dict | None = None) -> None:
        if respondent == PUBLIC[0]:
            body = {"answers": answers, "contact": contact, "proof": proof_for(client, self.survey.public_token)}
            url = f"/enquete/open/{self.survey.public_token}/antwoorden"
        else:
            body = {"answers": answers, "contact": contact}
            url = f"/enquete/{self.links[respondent]}/antwoorden"
        response = client.post(url, data=json.dumps(body), content_type="application/json", csrf=False)
        assert response.status_code == 201, response.get_data(as_text=True)

    def views(self, app) -> dict[str, str]:
        """Every page and API answer the advisor can reach with no more than the park and survey in its address,
        and the raw exports, as they would read them."""
        seen = {}
        with app.test_request_context():
            urls = [
                (rule.endpoint, url_for(rule.endpoint, **{a: self._argument(a) for a in rule.arguments}))
                for rule in app.url_map.iter_rules()
                if "GET" in rule.methods
                and not set(rule.arguments) - {"park_id", "survey_id"}
                and rule.endpoint not in {"static", "api_docs.index", "api-docs.openapi_json"}
            ]
            urls.append(
                ("survey_results.export xlsx", url_for("survey_results.export", park_id=self.park.id, format="xlsx"))
            )
        for name, url in sorted(urls):
            client = self.api if url.startswith("/api/") else self.web
            response = client.get(url)
            seen[name] = f"{response.status_code} {_canonical(_file_text(response), self)}"
        return seen

    def _argument(self, name: str) -> int:
        return {"park_id": self.park.id, "survey_id": self.survey.id}[name]


def _now() -> datetime:
    return datetime.now(UTC)


def _empty_database() -> None:
    """Remove every row and start the ids at 1 again, so that a second run gets the same ids as the first."""
    connection = db.session.connection()
    for table in reversed(db.metadata.sorted_tables):
        connection.execute(table.delete())
    if connection.dialect.name == "postgresql":
        for (sequence,) in connection.exec_driver_sql("SELECT sequence_name FROM information_schema.sequences"):
            connection.exec_driver_sql(f'ALTER SEQUENCE "{sequence}" RESTART WITH 1')
    db.session.commit()
    db.session.expunge_all()


#: where every run's clock starts: the same moment for all runs, shortly before now, so that the advisor's session,
#: opened on that clock, is still valid when the test looks at the pages after the run (a session lasts 12 hours)
RUNS_START = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=1)


def run(app, assign: Callable[[int], dict], late: dict, *, look: bool = True) -> tuple[list[dict[str, str]], World]:
    """A run of the survey on an empty database, in which respondent i gives `assign(i)` and the late company `late`:
    the attacker's collection after the first answer, with all in, after closing, and after the late answer.

    Every run keeps the same clock, a minute a step from RUNS_START: whatever moment a page shows, it shows the
    same one in both runs, so that a moment shown beside an answer would tell them apart."""
    _empty_database()
    with time_machine.travel(RUNS_START, tick=False) as clock:
        world = World(app)
        respondent = app.test_client()
        collected = []
        for step, (name, _sector, _size) in enumerate(RESPONDENTS):
            clock.shift(timedelta(minutes=1))
            contact = {"name": "Jan de Vries", "email": "jan@example.nl"} if step == 2 else None
            world.answer(respondent, name, assign(step), contact)
            if look and step in SNAPSHOTS:
                collected.append(world.views(app))
        today = date.today()
        clock.shift(timedelta(minutes=1))
        services.close_survey(world.advisor, world.survey, today=today)
        db.session.commit()
        if look:
            collected.append(world.views(app))
        clock.shift(timedelta(minutes=1))
        services.reopen_survey(world.advisor, world.survey, closes_on=today + timedelta(days=7), today=today)
        db.session.commit()
        clock.shift(timedelta(minutes=1))
        world.answer(respondent, LATE[0], late)
        clock.shift(timedelta(minutes=1))
        services.close_survey(world.advisor, world.survey, today=today)
        db.session.commit()
        if look:
            collected.append(world.views(app))
    return collected, world


@pytest.fixture
def k(app, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_MIN_GROUP", K)
    monkeypatch.setitem(app.config, "SURVEY_PROOF_MAX_COUNTER", 64)
    return K


def _difference(first: dict[str, str], second: dict[str, str]) -> str | None:
    for name in sorted(set(first) | set(second)):
        if first.get(name) != second.get(name):
            diff = difflib.unified_diff(
                (first.get(name) or "").splitlines(), (second.get(name) or "").splitlines(), lineterm="", n=1
            )
            return f"{name}:\n" + "\n".join(list(diff)[:30])
    return None


def test_no_view_of_the_advisor_tells_which_company_gave_which_answers(app, db, k):
    moments = [f"after {step + 1} answers" for step in SNAPSHOTS] + ["after closing", "after the late answer"]
    straight, _world = run(app, lambda number: ANSWERS[number], LATE_ANSWERS[0])
    swapped, _world = run(app, lambda number: ANSWERS[len(ANSWERS) - 1 - number], LATE_ANSWERS[1])
    after_closing = straight[len(SNAPSHOTS)]
    assert len(after_closing) > 40  # the collection really covers the park's pages
    assert "Opmerking nummer 0" in after_closing["survey_results.index"]  # and what the answers say
    for moment, first, second in zip(moments, straight, swapped, strict=True):
        difference = _difference(first, second)
        assert difference is None, f"{moment}, the advisor could tell the two runs apart on {difference}"


def test_the_export_singles_out_no_company_by_what_others_know_of_it(app, db, k):
    _collected, world = run(app, lambda number: ANSWERS[number], LATE_ANSWERS[0], look=False)
    export = world.web.get(f"/parken/{world.park.id}/enquete/resultaten/exporteren?format=csv")
    lines = export.data.decode("utf-8-sig").splitlines()
    header, rows = (
        lines[0].split(";"),
        [dict(zip(lines[0].split(";"), line.split(";"), strict=False)) for line in lines[1:]],
    )
    assert len(rows) == len(RESPONDENTS)  # the late answer waits for k more
    for name, sector, size in COMPANIES:
        fitting = [row for row in rows if row["sector"] in ("", sector) and row["size"] in ("", size)]
        assert len(fitting) >= K, f"{name} ({sector}, {size}) fits only {len(fitting)} rows"
    assert "openbare_link" in header and not any(
        column in header for column in ("ingevuld_op", "id", "submitted_on", "period")
    )
