"""The advisor's survey page: the park's survey opened and closed, its questionnaire, letter and public link."""

from __future__ import annotations

import json
from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.clock import local_today
from app.forms import Form, button_action, form_view, render_form, submit
from app.parks.loading import load_park
from app.parks.models import Park
from app.ratelimit import described
from app.surveys import invitations, results, services
from app.surveys.definition import overview, questions
from app.surveys.forms import CreateSurveyForm, DefinitionForm, LetterForm, OpenSurveyForm, ReopenSurveyForm
from app.surveys.models import Survey, SurveyStatus

bp = Blueprint("surveys", __name__, url_prefix="/parken/<int:park_id>/enquete")

#: how long a survey runs when the advisor does not choose otherwise
DEFAULT_DAYS_OPEN = 28
TYPE_LABELS = {
    "radiogroup": _l("Eén keuze"),
    "dropdown": _l("Eén keuze uit een lijst"),
    "checkbox": _l("Meer keuzes"),
    "rating": _l("Schaal"),
    "boolean": _l("Ja of nee"),
    "comment": _l("Open vraag"),
    "text": _l("Kort antwoord"),
    "matrix": _l("Matrix"),
    "tagbox": _l("Meer keuzes uit een lijst"),
    "ranking": _l("Rangorde"),
    "imagepicker": _l("Keuze uit afbeeldingen"),
    "slider": _l("Schuifregelaar"),
    "matrixdropdown": _l("Matrix met keuzelijsten"),
    "matrixdynamic": _l("Matrix met rijen naar keuze"),
    "multipletext": _l("Meerdere korte antwoorden"),
    "paneldynamic": _l("Herhaalbaar blok vragen"),
}
#: pages of the other survey blueprints, linked from the survey page once they exist
RELATED_PAGES = (
    ("survey_invitations.index", _l("Uitnodigingen en brieven")),
    ("survey_results.index", _l("Respons en resultaten")),
)


def _survey_or_404(park: Park) -> Survey:
    """The park's current survey, looked up after the policy check so that other parks learn nothing."""
    survey = services.current_survey(park)
    if survey is None:
        abort(404)
    return survey


def _to_index(park: Park):
    return redirect(url_for("surveys.index", park_id=park.id))


# The survey page -------------------------------------------------------------------------------------------


def _create_form(park: Park, formdata=None) -> CreateSurveyForm:
    form = CreateSurveyForm(formdata=formdata, prefix="create")
    if formdata is None:
        form.title.data = _("Enquête veiligheid %(park)s %(year)s", park=park.name, year=local_today().year)
    return form


def _open_form(survey: Survey, formdata=None) -> OpenSurveyForm:
    form = OpenSurveyForm(formdata=formdata, prefix="open")
    if formdata is None:
        today = local_today()
        form.opens_on.data = survey.opens_on or today
        form.closes_on.data = survey.closes_on or today + timedelta(days=DEFAULT_DAYS_OPEN)
    return form


def _reopen_form(survey: Survey, formdata=None) -> ReopenSurveyForm:
    form = ReopenSurveyForm(formdata=formdata, prefix="reopen")
    if formdata is None:
        today = local_today()
        closes_on = survey.closes_on
        form.closes_on.data = closes_on if closes_on and closes_on >= today else today + timedelta(days=14)
    return form


def _state_note(survey: Survey, today: date) -> str | None:
    """A sentence about whether answers come in now, when the status alone does not say it."""
    if survey.status != SurveyStatus.OPEN:
        return None
    if survey.opens_on and today < survey.opens_on:
        return _("Ondernemers kunnen de enquête invullen vanaf %(date)s.", date=format_date(survey.opens_on))
    if survey.closes_on and today > survey.closes_on:
        return _("De sluitdatum is verstreken: er komen geen antwoorden meer binnen.")
    return _("Ondernemers kunnen de enquête nu invullen.")


def _index_page(park: Park, submitted: Form | None = None, **forms: Form):
    survey = services.current_survey(park)
    today = local_today()
    context: dict = {"park": park, "survey": survey}
    if survey is None or survey.status == SurveyStatus.CLOSED or "create_form" in forms:
        context["create_form"] = forms.get("create_form") or _create_form(park)
    if survey is not None:
        context |= {
            "state_note": _state_note(survey, today),
            "question_count": len(questions(survey.definition)),
            "invitation_count": len(survey.invitations),
            "response_count": services.response_count(survey),
            "min_group": results.min_group(),
            "public_limit": described("SURVEY_PUBLIC_LIMIT"),
            "public_url": invitations.public_link(survey),
            "related": [
                (url_for(endpoint, park_id=park.id), label)
                for endpoint, label in RELATED_PAGES
                if endpoint in current_app.view_functions
            ],
        }
        if survey.status == SurveyStatus.DRAFT:
            context["open_form"] = forms.get("open_form") or _open_form(survey)
        elif survey.opens_on is not None:
            context["reopen_form"] = forms.get("reopen_form") or _reopen_form(survey)
    if submitted is None:
        return render_template("surveys/index.html", **context)
    # a form that is no longer shown (the survey changed meanwhile) still gets its message on the page
    context["stray_form"] = None if any(submitted is form for form in context.values()) else submitted
    return render_form("surveys/index.html", submitted, **context)


@bp.route("/")
@requires("surveys.manage", load=load_park)
def index(park: Park):
    return _index_page(park)


@bp.route("/nieuw", methods=["POST"])
@requires("surveys.manage", load=load_park)
@form_view
def create(park: Park):
    form = _create_form(park, request.form)
    if (
        form.validate_on_submit()
        and submit(form, lambda: services.create_survey(current_actor(), park, title=form.title.data)).ok
    ):
        flash(_("De enquête is aangemaakt, met de standaardvragenlijst en de standaardbrief."), "success")
        return _to_index(park)
    return _index_page(park, form, create_form=form)


@bp.route("/openen", methods=["POST"])
@requires("surveys.manage", load=load_park)
@form_view
def open_survey(park: Park):
    survey = _survey_or_404(park)
    form = _open_form(survey, request.form)
    if (
        form.validate_on_submit()
        and submit(
            form,
            lambda: services.open_survey(
                current_actor(), survey, opens_on=form.opens_on.data, closes_on=form.closes_on.data, today=local_today()
            ),
        ).ok
    ):
        flash(
            _(
                "De enquête is geopend van %(start)s tot en met %(end)s.",
                start=format_date(survey.opens_on),
                end=format_date(survey.closes_on),
            ),
            "success",
        )
        return _to_index(park)
    return _index_page(park, form, open_form=form)


@bp.route("/heropenen", methods=["POST"])
@requires("surveys.manage", load=load_park)
@form_view
def reopen_survey(park: Park):
    survey = _survey_or_404(park)
    form = _reopen_form(survey, request.form)
    if (
        form.validate_on_submit()
        and submit(
            form,
            lambda: services.reopen_survey(current_actor(), survey, closes_on=form.closes_on.data, today=local_today()),
        ).ok
    ):
        flash(_("De enquête is open tot en met %(date)s.", date=format_date(survey.closes_on)), "success")
        return _to_index(park)
    return _index_page(park, form, reopen_form=form)


@bp.route("/sluiten", methods=["POST"])
@requires("surveys.manage", load=load_park)
def close_survey(park: Park):
    survey = _survey_or_404(park)
    return button_action(
        lambda: services.close_survey(current_actor(), survey, today=local_today()),
        _("De enquête is gesloten."),
        url_for("surveys.index", park_id=park.id),
    )


@bp.route("/openbare-link", methods=["POST"])
@requires("surveys.manage", load=load_park)
def public_link(park: Park):
    survey = _survey_or_404(park)
    enabled = request.form.get("enabled") == "1"
    return button_action(
        lambda: services.set_public_link(current_actor(), survey, enabled),
        _("De openbare link staat aan.") if enabled else _("De openbare link staat uit en werkt niet meer."),
        url_for("surveys.index", park_id=park.id),
    )


# The questionnaire -----------------------------------------------------------------------------------------


def _pretty(definition: dict) -> str:
    return json.dumps(definition, ensure_ascii=False, indent=2)


@bp.route("/vragenlijst", methods=["GET", "POST"])
@requires("surveys.manage", load=load_park)
@form_view
def definition(park: Park):
    survey = _survey_or_404(park)
    form = DefinitionForm(formdata=request.form if request.method == "POST" else None, prefix="definition")
    if request.method == "GET":
        form.definition.data = _pretty(survey.definition)
    if (
        form.validate_on_submit()
        and submit(
            form,
            lambda: services.update_definition(current_actor(), survey, form.definition.data),
            field=form.definition,
        ).ok
    ):
        flash(_("De vragenlijst is opgeslagen."), "success")
        return redirect(url_for("surveys.definition", park_id=park.id))
    locale = str(get_locale() or "nl")
    rows = [
        row | {"type_label": TYPE_LABELS.get(row["type"], row["type"])} for row in overview(survey.definition, locale)
    ]
    return render_form(
        "surveys/definition.html",
        form,
        park=park,
        survey=survey,
        rows=rows,
        editable=survey.frozen_at is None and survey.status != SurveyStatus.CLOSED,
    )


# The mayor's letter ----------------------------------------------------------------------------------------


@bp.route("/brief", methods=["GET", "POST"])
@requires("surveys.manage", load=load_park)
@form_view
def letter_text(park: Park):
    survey = _survey_or_404(park)
    form = LetterForm(formdata=request.form if request.method == "POST" else None, prefix="letter")
    if request.method == "GET":
        form.letter_text.data = survey.letter_text
        form.letter_signatory.data = survey.letter_signatory
    if (
        form.validate_on_submit()
        and submit(
            form,
            lambda: services.update_letter(
                current_actor(), survey, text=form.letter_text.data, signatory=form.letter_signatory.data or ""
            ),
            field=form.letter_text,
        ).ok
    ):
        flash(_("De brief is opgeslagen."), "success")
        return _to_index(park)
    return render_form("surveys/letter.html", form, park=park, survey=survey)
