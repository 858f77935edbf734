"""Fixtures of the survey tests: an open survey with the default questionnaire on the park's active cycle."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db as _db
from app.parks.services import active_cycle
from app.surveys.definition import load_default
from app.surveys.models import Survey, SurveyStatus
from app.surveys.services import DEFAULT_LETTER


@pytest.fixture
def survey(park) -> Survey:
    """An OPEN survey of the park's active cycle with the default questionnaire and letter, open from a week ago
    for another three weeks (real dates: the respondent pages check them against today)."""
    today = date.today()
    survey = Survey(
        park=park,
        cycle=active_cycle(park),
        title="Enquête veiligheid Lage Weide",
        definition=load_default(),
        status=SurveyStatus.OPEN,
        opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=21),
        letter_text=DEFAULT_LETTER,
        letter_signatory="Burgemeester J. Jansen",
        public_token=None,
    )
    _db.session.add(survey)
    _db.session.flush()
    return survey
