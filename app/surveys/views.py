"""The advisor's survey page: the park's survey opened and closed, its questionnaire, letter and public link."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from io import BytesIO

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.policy import may_edit_organisation
from app.clock import local_today
from app.errors import DomainError
from app.forms import Confirm, Form, button_action, confirmation_page, form_view, render_form, render_page, submit
from app.links import external_url
from app.pages import file_slug
from app.parks.loading import load_park
from app.parks.models import Park
from app.ratelimit import described
from app.surveys import editor, invitations, letter, results, services, sources
from app.surveys.definition import answer_key_of, localised, questions
from app.surveys.forms import (
    AddPageForm,
    AddQuestionForm,
    ChoicesForm,
    ConditionForm,
    CopyDefinitionForm,
    CreateSurveyForm,
    DefinitionForm,
    LetterForm,
    MoveForm,
    MoveToPageForm,
    OpenSurveyForm,
    PageTitleForm,
    QuestionTextForm,
    ReopenSurveyForm,
    ScaleTextsForm,
)
from app.surveys.models import Survey, SurveyInvitation, SurveyStatus

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
#: the code of the example link in a preview of the letter: typeable like a real one, but no invitation's
EXAMPLE_CODE = "abcd-efgh-jkmn-pqrs"
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


# The questionnaire: its overview, the form-based editor (app/surveys/editor.py) and the JSON -----------------


def _pretty(definition: dict) -> str:
    return json.dumps(definition, ensure_ascii=False, indent=2)


def _editable(survey: Survey) -> bool:
    return survey.frozen_at is None and survey.status != SurveyStatus.CLOSED


def _locale() -> str:
    return str(get_locale() or "nl")


def _anchor(name: str) -> str:
    """The id of a question's place on the editor's pages (a name may hold spaces, which an id may not)."""
    return "vraag-" + re.sub(r"\s", "_", name)


def _page_label(number: int, page: dict) -> str:
    title = localised(page.get("title"), _locale()) or page.get("name") or ""
    return _("Pagina %(n)s: %(title)s", n=number + 1, title=title) if title else _("Pagina %(n)s", n=number + 1)


def _question_title(question: dict) -> str:
    return localised(question.get("title"), _locale()) or str(question.get("name", ""))


def _condition_text(definition: dict, question: dict) -> str | None:
    """How the editor describes a question's visibleIf: the simple ones in words, any other as "some answers"."""
    if not question.get("visibleIf"):
        return None
    simple = editor.simple_condition(question)
    if simple is not None:
        for source in editor.condition_sources(definition, question["name"]):
            if answer_key_of(source) == simple[0]:
                return _(
                    "alleen als op “%(question)s” is geantwoord: %(answer)s",
                    question=_question_title(source),
                    answer=editor.choice_label(source, simple[1], _locale()),
                )
    return _("alleen bij bepaalde antwoorden")


def _save(form: Form, survey: Survey, edit) -> bool:
    """Apply `edit` (definition -> new definition) and store the result through the same check and audit as the
    JSON; a refusal becomes the form's message, with nothing written."""
    return submit(
        form,
        lambda: services.update_definition(
            current_actor(), survey, json.dumps(edit(survey.definition), ensure_ascii=False)
        ),
    ).ok


def _text(form: Form, prefix: str) -> tuple[str, str]:
    return form[f"{prefix}_nl"].data or "", form[f"{prefix}_en"].data or ""


def _fill_text(form: Form, prefix: str, value) -> None:
    form[f"{prefix}_nl"].data, form[f"{prefix}_en"].data = editor.text_pair(value)


# The overview: pages, questions and the forms that add and move them


def _add_form(definition: dict, formdata=None, page: int | None = None) -> AddQuestionForm:
    form = AddQuestionForm(formdata=formdata, prefix="add")
    groups = {}
    for number, page_element in enumerate(definition.get("pages") or []):
        elements = page_element.get("elements") or []
        options = [(f"{number}:0", _("Bovenaan"))]
        options += [
            (f"{number}:{index + 1}", _("Na: %(title)s", title=_question_title(element)))
            for index, element in enumerate(elements)
        ]
        groups[_page_label(number, page_element)] = options
    form.where.choices = groups
    if formdata is None:
        pages = definition.get("pages") or []
        chosen = page if page is not None and 0 <= page < len(pages) else len(pages) - 1
        form.where.data = f"{chosen}:{len(pages[chosen].get('elements') or [])}" if pages else None
    return form


def _add_page_form(formdata=None) -> AddPageForm:
    return AddPageForm(formdata=formdata, prefix="page")


def _rename_form(number: int, page: dict, formdata=None) -> PageTitleForm:
    form = PageTitleForm(formdata=formdata, prefix=f"pagina{number}")
    if formdata is None:
        _fill_text(form, "title", page.get("title"))
    return form


def _copy_form(survey: Survey, formdata=None) -> CopyDefinitionForm:
    form = CopyDefinitionForm(formdata=formdata, prefix="copy")
    groups: dict = {None: [(sources.DEFAULT, _("De standaardvragenlijst"))]}
    for source in sources.copy_sources(current_actor(), today=local_today(), leave_out=survey):
        label = _(
            "%(title)s (cyclus %(n)s, %(status)s)",
            title=source.title,
            n=source.cycle.number,
            status=source.status.label,
        )
        groups.setdefault(source.park.name, []).append((str(source.id), label))
    form.source.choices = groups
    return form


def _definition_form(survey: Survey, formdata=None) -> DefinitionForm:
    form = DefinitionForm(formdata=formdata, prefix="definition")
    if formdata is None:
        form.definition.data = _pretty(survey.definition)
    return form


def _definition_page(park: Park, survey: Survey, submitted: Form | None = None, **forms: Form):
    definition = survey.definition
    editable = _editable(survey)
    rows: dict[int, list[dict]] = {}
    listed = editor.question_list(definition)
    for index, (number, question) in enumerate(listed):
        rows.setdefault(number, []).append(
            {
                "name": question["name"],
                # the first question cannot go up, nor the last down: no button that can only be refused
                "up": index > 0,
                "down": index < len(listed) - 1,
                "anchor": _anchor(question["name"]),
                "title": _question_title(question),
                "type_label": TYPE_LABELS.get(question.get("type"), question.get("type")),
                "required": bool(question.get("isRequired")),
                "condition": _condition_text(definition, question),
            }
        )
    pages = [
        {
            "number": number,
            "label": _page_label(number, page),
            "questions": rows.get(number, []),
            "rename_form": (forms.get(f"rename_{number}") or _rename_form(number, page)) if editable else None,
        }
        for number, page in enumerate(definition.get("pages") or [])
    ]
    context = {
        "park": park,
        "survey": survey,
        "pages": pages,
        "editable": editable,
        "definition_form": forms.get("definition_form") or _definition_form(survey),
        "preview_config": _preview_config(),
    }
    if editable:
        context |= {
            "add_form": forms.get("add_form") or _add_form(definition, page=request.args.get("pagina", type=int)),
            "add_page_form": forms.get("add_page_form") or _add_page_form(),
            "copy_form": forms.get("copy_form") or _copy_form(survey),
        }
    shown = [value for value in context.values() if isinstance(value, Form)] + [p["rename_form"] for p in pages]
    context["stray_form"] = _stray(submitted, shown)
    return render_page("surveys/definition.html", submitted, **context)


def _stray(submitted: Form | None, shown: list) -> Form | None:
    """A posted form that the page does not show (a button, or a form of a survey that can no longer change):
    its message goes above the page."""
    return submitted if submitted is not None and not any(submitted is form for form in shown) else None


def _preview_config(page: int | None = None, question: str | None = None) -> dict:
    """What the preview (static/js/survey-editor.js) opens: the page of that index, and the question whose title
    field it follows."""
    return {"locale": _locale(), "page": page, "question": question}


def _to_definition(park: Park, name: str | None = None):
    return redirect(url_for("surveys.definition", park_id=park.id, _anchor=_anchor(name) if name else None))


@bp.route("/vragenlijst", methods=["GET", "POST"])
@requires("surveys.manage", load=load_park)
@form_view
def definition(park: Park):
    survey = _survey_or_404(park)
    if request.method == "GET":
        return _definition_page(park, survey)
    form = _definition_form(survey, request.form)
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
    return _definition_page(park, survey, form, definition_form=form)


@bp.route("/vragenlijst.json")
@requires("surveys.manage", load=load_park)
def definition_download(park: Park):
    survey = _survey_or_404(park)
    return Response(
        _pretty(survey.definition),
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename=vragenlijst-{survey.id}.json"},
    )


@bp.route("/vragenlijst/overnemen", methods=["POST"])
@requires("surveys.manage", load=load_park)
def copy_definition(park: Park):
    survey = _survey_or_404(park)
    form = _copy_form(survey, request.form)
    if form.validate_on_submit() and _save(
        form,
        survey,
        lambda _current: sources.definition_to_copy(
            current_actor(), form.source.data, today=local_today(), leave_out=survey
        ),
    ):
        flash(_("De vragenlijst is overgenomen. Pas haar hieronder aan."), "success")
        return _to_definition(park)
    return _definition_page(park, survey, form, copy_form=form)


def _where(form: AddQuestionForm) -> tuple[int, int]:
    page, position = (int(part) for part in form.where.data.split(":"))
    return page, position


@bp.route("/vragenlijst/vraag-toevoegen", methods=["POST"])
@requires("surveys.manage", load=load_park)
def add_question(park: Park):
    survey = _survey_or_404(park)
    form = _add_form(survey.definition, request.form)
    added: list[str] = []

    def edit(definition: dict) -> dict:
        page, position = _where(form)
        new, name = editor.add_question(
            definition,
            page=page,
            position=position,
            kind=form.kind.data,
            title=_text(form, "title"),
            choices=(form.choices.data or "").splitlines(),
        )
        added.append(name)
        return new

    if form.validate_on_submit() and _save(form, survey, edit):
        flash(_("De vraag is toegevoegd. Vul hier de rest in."), "success")
        return _to_question(park, added[0])
    return _definition_page(park, survey, form, add_form=form)


@bp.route("/vragenlijst/pagina-toevoegen", methods=["POST"])
@requires("surveys.manage", load=load_park)
def add_page(park: Park):
    survey = _survey_or_404(park)
    form = _add_page_form(request.form)
    added: list[str] = []

    def edit(definition: dict) -> dict:
        new, name = editor.add_page(
            definition,
            position=len(definition.get("pages") or []),
            title=_text(form, "title"),
            kind=form.kind.data,
            question_title=_text(form, "question"),
        )
        added.append(name)
        return new

    if form.validate_on_submit() and _save(form, survey, edit):
        flash(_("De pagina is toegevoegd."), "success")
        return _to_question(park, added[0])
    return _definition_page(park, survey, form, add_page_form=form)


@bp.route("/vragenlijst/pagina-titel", methods=["POST"])
@requires("surveys.manage", load=load_park)
def rename_page(park: Park):
    survey = _survey_or_404(park)
    number = request.args.get("pagina", type=int)
    pages = survey.definition.get("pages") or []
    if number is None or not 0 <= number < len(pages):
        return _definition_refusal(park, survey, _("Deze pagina staat niet (meer) in de vragenlijst."))
    form = _rename_form(number, pages[number], request.form)
    if form.validate_on_submit() and _save(
        form, survey, lambda definition: editor.rename_page(definition, number, _text(form, "title"))
    ):
        flash(_("De titel van de pagina is opgeslagen."), "success")
        return redirect(url_for("surveys.definition", park_id=park.id, _anchor=f"pagina-{number + 1}"))
    return _definition_page(park, survey, form, **{f"rename_{number}": form})


def _refusal(message: str) -> Form:
    """A form that carries only `message`, for a post that names something that is gone (shown with 422)."""
    form = Form()
    form.form_errors.append(message)
    return form


def _definition_refusal(park: Park, survey: Survey, message: str):
    return _definition_page(park, survey, _refusal(message))


# One question: its texts, choices, condition and place


def _text_form(question: dict, formdata=None) -> QuestionTextForm:
    form = QuestionTextForm(formdata=formdata, prefix="question")
    if formdata is None:
        _fill_text(form, "title", question.get("title"))
        _fill_text(form, "description", question.get("description"))
        form.required.data = bool(question.get("isRequired"))
    return form


#: per list of a question's items: the headings, labels and messages of its form (the form and rules are one)
ITEM_FORMS = {
    "choices": {
        "heading": _l("Keuzes"),
        "intro": _l("Pas de teksten aan, vink keuzes aan die weg moeten, of vul een nieuwe keuze in."),
        "legend": _l("Keuze %(n)s"),
        "new_nl": _l("Nieuwe keuze in het Nederlands"),
        "new_en": _l("Nieuwe keuze in het Engels"),
        "save": _l("Keuzes opslaan"),
        "saved": _l("De keuzes zijn opgeslagen."),
    },
    "rows": {
        "heading": _l("Rijen"),
        "intro": _l("Pas de teksten van de rijen aan, vink rijen aan die weg moeten, of vul een nieuwe rij in."),
        "legend": _l("Rij %(n)s"),
        "new_nl": _l("Nieuwe rij in het Nederlands"),
        "new_en": _l("Nieuwe rij in het Engels"),
        "save": _l("Rijen opslaan"),
        "saved": _l("De rijen zijn opgeslagen."),
    },
    "columns": {
        "heading": _l("Kolommen"),
        "intro": _l(
            "Pas de teksten van de kolommen aan, vink kolommen aan die weg moeten, of vul een nieuwe kolom in."
        ),
        "legend": _l("Kolom %(n)s"),
        "new_nl": _l("Nieuwe kolom in het Nederlands"),
        "new_en": _l("Nieuwe kolom in het Engels"),
        "save": _l("Kolommen opslaan"),
        "saved": _l("De kolommen zijn opgeslagen."),
    },
}
ITEM_ROUTES = {"choices": "surveys.edit_choices", "rows": "surveys.edit_rows", "columns": "surveys.edit_columns"}


def _choices_form(question: dict, key: str = "choices", formdata=None) -> ChoicesForm | None:
    """The form of the question's list `key` (see editor.ITEM_LISTS), or None when it has no such list."""
    listed = editor.item_list(question, key)
    if listed is None:
        return None
    form = ChoicesForm(formdata=formdata, prefix=key)
    form.new_nl.label.text, form.new_en.label.text = ITEM_FORMS[key]["new_nl"], ITEM_FORMS[key]["new_en"]
    if formdata is None:
        for value, text in listed:
            nl, en = editor.text_pair(text)
            form.choices.append_entry({"value": str(value), "text_nl": nl or str(value), "text_en": en})
    return form


def _item_forms(park: Park, question: dict, forms: dict) -> list[dict]:
    """The forms of the question's lists of items, each with its texts and where it posts."""
    shown = []
    for key, texts in ITEM_FORMS.items():
        form = forms.get(f"{key}_form") or _choices_form(question, key)
        if form is not None:
            action = url_for(ITEM_ROUTES[key], park_id=park.id, naam=question["name"])
            shown.append({"key": key, "form": form, "action": action, "texts": texts})
    return shown


def _scale_form(question: dict, formdata=None) -> ScaleTextsForm | None:
    if question.get("type") != "rating":
        return None
    form = ScaleTextsForm(formdata=formdata, prefix="scale")
    if formdata is None:
        _fill_text(form, "low", question.get("minRateDescription"))
        _fill_text(form, "high", question.get("maxRateDescription"))
    return form


def _condition_form(definition: dict, question: dict, formdata=None) -> ConditionForm:
    form = ConditionForm(formdata=formdata, prefix="condition")
    options = [("", _("Altijd"))]
    simple = editor.simple_condition(question)
    current = ""
    if question.get("visibleIf") and simple is None:
        # a condition written in JSON stays until the advisor picks another
        options.append(("keep", _("Zoals nu: %(condition)s", condition=question["visibleIf"])))
        current = "keep"
    for source in editor.condition_sources(definition, question["name"]):
        for value in editor.choice_values(source):
            option = json.dumps([source["name"], value], ensure_ascii=False)
            label = _(
                "Alleen bij het antwoord “%(answer)s” op “%(question)s”",
                answer=editor.choice_label(source, value, _locale()),
                question=_question_title(source),
            )
            options.append((option, label))
            # compared as text: the condition {x} = 1 and the choice "1" are the same to SurveyJS
            if simple is not None and simple[0] == answer_key_of(source) and str(simple[1]) == str(value):
                current = option
    form.when.choices = options
    if formdata is None:
        form.when.data = current
    return form


def _move_to_page_form(definition: dict, number: int, formdata=None) -> MoveToPageForm:
    form = MoveToPageForm(formdata=formdata, prefix="move")
    form.page.choices = [
        (index, _page_label(index, page)) for index, page in enumerate(definition.get("pages") or []) if index != number
    ]
    return form


def _question_page(park: Park, survey: Survey, name: str, submitted: Form | None = None, **forms: Form):
    definition = survey.definition
    number, question = editor.find_question(definition, name)
    editable = _editable(survey)
    context = {
        "park": park,
        "survey": survey,
        "question": question,
        "title": _question_title(question),
        "type_label": TYPE_LABELS.get(question.get("type"), question.get("type")),
        "page_label": _page_label(number, definition["pages"][number]),
        "condition": _condition_text(definition, question),
        "anchor": _anchor(name),
        "editable": editable,
        "preview_config": _preview_config(number, name),
    }
    if editable:
        context |= {
            "text_form": forms.get("text_form") or _text_form(question),
            "item_forms": _item_forms(park, question, forms),
            "scale_form": forms.get("scale_form") or _scale_form(question),
            "condition_form": forms.get("condition_form") or _condition_form(definition, question),
            "move_to_page_form": forms.get("move_to_page_form") or _move_to_page_form(definition, number),
        }
    context["stray_form"] = _stray(submitted, [value for value in context.values() if isinstance(value, Form)])
    return render_page("surveys/editor/question.html", submitted, **context)


def _to_question(park: Park, name: str):
    return redirect(url_for("surveys.question", park_id=park.id, naam=name, _anchor="vraag"))


def _named_question(survey: Survey, name: str | None = None) -> str | None:
    """`name`, or the name of the question the request names (?naam=), or None when the questionnaire has no such
    question."""
    name = request.args.get("naam", "") if name is None else name
    try:
        editor.find_question(survey.definition, name)
    except DomainError:
        return None
    return name


GONE = _l("Deze vraag staat niet (meer) in de vragenlijst.")


@bp.route("/vragenlijst/vraag")
@requires("surveys.manage", load=load_park)
def question(park: Park):
    survey = _survey_or_404(park)
    name = _named_question(survey)
    if name is None:
        flash(str(GONE), "error")
        return _to_definition(park)
    return _question_page(park, survey, name)


def _question_edit(park: Park, form_key: str, make_form, edit, message: str):
    """The post of one of a question's forms: `make_form(definition, question, formdata)`, `edit(definition, name,
    form)`; back to the question's page with `message`, or that page with the form's message (4xx)."""
    survey = _survey_or_404(park)
    name = _named_question(survey)
    if name is None:
        return _definition_refusal(park, survey, str(GONE))
    number, question = editor.find_question(survey.definition, name)
    form = make_form(survey.definition, question, number, request.form)
    if form is None:
        return _question_page(park, survey, name, _refusal(_("Deze vraag kan zo niet worden aangepast.")))
    if form.validate_on_submit() and _save(form, survey, lambda d: edit(d, name, form)):
        flash(message, "success")
        return _to_question(park, name)
    return _question_page(park, survey, name, form, **{form_key: form})


@bp.route("/vragenlijst/vraag/tekst", methods=["POST"])
@requires("surveys.manage", load=load_park)
def edit_question(park: Park):
    return _question_edit(
        park,
        "text_form",
        lambda definition, question, number, formdata: _text_form(question, formdata),
        lambda definition, name, form: editor.edit_question(
            definition,
            name,
            title=_text(form, "title"),
            description=_text(form, "description"),
            required=form.required.data,
        ),
        _("De vraag is opgeslagen."),
    )


def _choice_rows(form: ChoicesForm) -> list[editor.ChoiceRow]:
    return [
        editor.ChoiceRow(
            value=entry.form.value.data or "",
            text=(entry.form.text_nl.data or "", entry.form.text_en.data or ""),
            remove=bool(entry.form.remove.data),
        )
        for entry in form.choices
    ]


def _edit_items(park: Park, key: str):
    return _question_edit(
        park,
        f"{key}_form",
        lambda definition, question, number, formdata: _choices_form(question, key, formdata),
        lambda definition, name, form: editor.edit_choices(
            definition, name, _choice_rows(form), _text(form, "new"), key
        ),
        str(ITEM_FORMS[key]["saved"]),
    )


@bp.route("/vragenlijst/vraag/keuzes", methods=["POST"])
@requires("surveys.manage", load=load_park)
def edit_choices(park: Park):
    return _edit_items(park, "choices")


@bp.route("/vragenlijst/vraag/rijen", methods=["POST"])
@requires("surveys.manage", load=load_park)
def edit_rows(park: Park):
    return _edit_items(park, "rows")


@bp.route("/vragenlijst/vraag/kolommen", methods=["POST"])
@requires("surveys.manage", load=load_park)
def edit_columns(park: Park):
    return _edit_items(park, "columns")


@bp.route("/vragenlijst/vraag/schaal", methods=["POST"])
@requires("surveys.manage", load=load_park)
def edit_scale(park: Park):
    return _question_edit(
        park,
        "scale_form",
        lambda definition, question, number, formdata: _scale_form(question, formdata),
        lambda definition, name, form: editor.edit_scale_texts(
            definition, name, low=_text(form, "low"), high=_text(form, "high")
        ),
        _("De teksten van de schaal zijn opgeslagen."),
    )


def _chosen_condition(form: ConditionForm) -> tuple[str | None, object]:
    if form.when.data == "":
        return None, None
    source, value = json.loads(form.when.data)
    return source, value


@bp.route("/vragenlijst/vraag/voorwaarde", methods=["POST"])
@requires("surveys.manage", load=load_park)
def set_condition(park: Park):
    def edit(definition: dict, name: str, form: ConditionForm) -> dict:
        if form.when.data == "keep":
            return definition
        return editor.set_condition(definition, name, *_chosen_condition(form))

    return _question_edit(
        park,
        "condition_form",
        lambda definition, question, number, formdata: _condition_form(definition, question, formdata),
        edit,
        _("De voorwaarde is opgeslagen."),
    )


@bp.route("/vragenlijst/vraag/naar-pagina", methods=["POST"])
@requires("surveys.manage", load=load_park)
def move_to_page(park: Park):
    return _question_edit(
        park,
        "move_to_page_form",
        lambda definition, question, number, formdata: _move_to_page_form(definition, number, formdata),
        lambda definition, name, form: editor.move_to_page(definition, name, form.page.data),
        _("De vraag is verplaatst."),
    )


@bp.route("/vragenlijst/vraag/omhoog-omlaag", methods=["POST"])
@requires("surveys.manage", load=load_park)
def move_question(park: Park):
    survey = _survey_or_404(park)
    name = _named_question(survey)
    form = MoveForm(formdata=request.form)
    back_to_list = request.args.get("terug") == "lijst"
    if name is None:
        return _definition_refusal(park, survey, str(GONE))
    step = {"up": -1, "down": 1}.get(form.direction.data or "", 0)
    if form.validate_on_submit() and _save(form, survey, lambda d: editor.move_question(d, name, step)):
        flash(_("De vraag is verplaatst."), "success")
        return _to_definition(park, name) if back_to_list else _to_question(park, name)
    if back_to_list:
        return _definition_page(park, survey, form)
    return _question_page(park, survey, name, form)


@bp.route("/vragenlijst/vraag/verwijderen", methods=["POST"])
@requires("surveys.manage", load=load_park)
def remove_question(park: Park):
    survey = _survey_or_404(park)
    # in the form, not the URL: the confirmation page without JavaScript posts the form's fields again
    name = _named_question(survey, request.form.get("naam", ""))
    if name is None:
        return _definition_refusal(park, survey, str(GONE))
    _number, question = editor.find_question(survey.definition, name)
    confirm = Confirm(_("De vraag “%(title)s” verwijderen?", title=_question_title(question)), _("Ja, verwijderen"))
    page = confirmation_page(confirm, url_for("surveys.question", park_id=park.id, naam=name))
    if page is not None:
        return page
    form = Form(formdata=request.form)
    if form.validate_on_submit() and _save(form, survey, lambda d: editor.remove_question(d, name)):
        flash(_("De vraag is verwijderd."), "success")
        return _to_definition(park)
    return _question_page(park, survey, name, form)


# The mayor's letter ----------------------------------------------------------------------------------------


@bp.route("/brief", methods=["GET", "POST"])
@requires("surveys.manage", load=load_park)
@form_view
def letter_text(park: Park):
    survey = _survey_or_404(park)
    form = LetterForm(formdata=request.form if request.method == "POST" else None, prefix="letter")
    if request.method == "GET":
        form.letter_text.data = survey.letter_text
        form.letter_text_en.data = letter.letter_template(survey, "en")
        form.letter_signatory.data = survey.letter_signatory
    if (
        form.validate_on_submit()
        and submit(
            form,
            lambda: services.update_letter(
                current_actor(),
                survey,
                text=form.letter_text.data,
                text_en=form.letter_text_en.data,
                signatory=form.letter_signatory.data or "",
            ),
            field=form.letter_text,
        ).ok
    ):
        flash(_("De brief is opgeslagen. Bekijk hieronder hoe hij eruitziet."), "success")
        return redirect(url_for("surveys.letter_text", park_id=park.id, _anchor="voorbeeld"))
    municipality = park.municipality
    with force_locale("nl"):
        preview = letter.letter_data(survey, _sample(survey, "nl"), _example_link(), today=local_today())
    return render_form(
        "surveys/letter.html",
        form,
        park=park,
        survey=survey,
        preview=preview,
        signatory_missing=not survey.letter_signatory and not letter.has_signatory(municipality),
        letterhead_url=(
            url_for("letterhead.edit", organisation_id=municipality.id)
            if may_edit_organisation(current_actor(), municipality)
            else None
        ),
    )


def _sample(survey: Survey, language: str) -> SurveyInvitation:
    """The first letter that would be printed in `language`, else one to an example company."""
    for invitation in invitations.printable(survey):
        if letter.language_of(invitation) == language:
            return invitation
    return letter.sample_invitation(language)


def _example_link() -> str:
    """A link that looks like a printed one and leads nowhere: a preview shows no company's working link."""
    return external_url("typed_link.open", code=EXAMPLE_CODE)


@bp.route("/brief/voorbeeld.pdf")
@requires("surveys.manage", load=load_park)
def letter_preview(park: Park):
    survey = _survey_or_404(park)
    language = request.args.get("taal", "nl")
    if language not in letter.LANGUAGES:
        abort(404)
    pdf = letter.letter_pdf(survey, [_sample(survey, language)], link_for=lambda _invitation: _example_link())
    return send_file(
        BytesIO(pdf),
        mimetype="application/pdf",
        as_attachment=False,
        download_name=f"voorbeeld-brief-{language}-{file_slug(park.name)}.pdf",
    )
