"""The press release of an award, written as a journalist would (numbers as "van 31 naar 15 meldingen"), once as
content (`press_release`) and from it as copyable text (`draft_press_release`) and as a Word document
(`press_release_docx`) with a quote placeholder per partner and the park's map. Dutch by default: the press is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from flask_babel import force_locale, format_date, format_decimal
from flask_babel import gettext as _

from app.awards.certificates import award_title
from app.awards.models import Award
from app.goals.services import goals_by_theme
from app.parks.models import Cycle, Track
from app.plans.models import Goal
from app.reports.maps import map_png
from app.reports.wording import municipality_phrase, place_name
from app.stakeholders.models import PpsRole, Stakeholder

#: the languages a press release is written in
LANGUAGES = ("nl", "en")
#: units that are no word after the number ("van 31 naar 15", not "31 aantal")
BARE_UNITS = {"", "aantal", "aantallen", "stuks", "#", "getal", "number", "count"}
PERCENT_UNITS = {"%", "procent", "percent"}
#: a mark out of ten reads "van een 6,5 naar een 7,5"
MARK_UNITS = {"cijfer", "rapportcijfer"}
#: the singular of the Dutch units goals use most, for a target of exactly one ("naar 1 melding")
SINGULAR = {
    "meldingen": "melding",
    "inbraken": "inbraak",
    "incidenten": "incident",
    "diefstallen": "diefstal",
    "branden": "brand",
    "aangiften": "aangifte",
    "aangiftes": "aangifte",
    "klachten": "klacht",
    "bedrijven": "bedrijf",
    "ondernemers": "ondernemer",
    "deelnemers": "deelnemer",
    "camera's": "camera",
    "lantaarnpalen": "lantaarnpaal",
    "dagen": "dag",
    "uren": "uur",
    "keren": "keer",
    "reports": "report",
    "burglaries": "burglary",
    "incidents": "incident",
}
MAP_WIDTH_MM = 160
MAP_HEIGHT_MM = 100


@dataclass(frozen=True)
class ThemeGoals:
    theme: str
    sentences: list[str]


@dataclass(frozen=True)
class PressRelease:
    headline: str
    #: the lead paragraph, starting with the place in capitals
    dateline: str
    lead: str
    partners: str
    goals: list[ThemeGoals]
    #: one placeholder per partner, to be replaced by a quote
    quotes: list[str]
    follow_up: str
    #: the lines of the note for the editors: the ceremony, the contact
    note: list[str]
    map_caption: str


def number_text(value: float, *, whole: bool = False) -> str:
    """A number in the language's way (decimal comma in Dutch); `whole` rounds it (a press release says "19
    procent", not "18,8 procent")."""
    return format_decimal(round(value) if whole else value, format="#,##0.#")


def change_text(baseline: float | None, target: float, unit: str) -> str:
    """A goal's change as a journalist writes it: "van 31 naar 15 meldingen", "van 40 naar 60 procent", "van 2 naar
    1 inbraak", "van een 6,5 naar een 7,5"; without a baseline "naar 60 procent"."""
    key = unit.strip().casefold()
    if key in MARK_UNITS:
        start = _("een %(mark)s", mark=number_text(baseline)) if baseline is not None else ""
        end = _("een %(mark)s", mark=number_text(target))
    else:
        whole = key in PERCENT_UNITS
        start = number_text(baseline, whole=whole) if baseline is not None else ""
        end = number_text(target, whole=whole)
        if key in PERCENT_UNITS:
            end += "\u00a0" + _("procent")
        elif key not in BARE_UNITS:
            end += "\u00a0" + (SINGULAR.get(key, unit.strip()) if target == 1 else unit.strip())
    if baseline is None:
        return _("naar %(target)s", target=end)
    return _("van %(baseline)s naar %(target)s", baseline=start, target=end)


def _lowered(value: str) -> str:
    """A phrase to follow other words: its first letter small, unless it starts an abbreviation ("MOR-meldingen")."""
    if len(value) > 1 and value[0].isupper() and value[1].islower():
        return value[0].lower() + value[1:]
    return value


def goal_sentence(goal: Goal) -> str:
    return _(
        "%(title)s: %(change)s in %(month)s (%(indicator)s).",
        title=goal.title,
        change=change_text(goal.baseline, goal.target, goal.unit),
        month=format_date(goal.deadline, "MMMM yyyy"),
        indicator=_lowered(goal.indicator),
    )


def _names(names: list[str]) -> str:
    """ "A, B en C"."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(names)s en %(last)s", names=", ".join(names[:-1]), last=names[-1])


def quote_placeholder(stakeholder: Stakeholder, award: Award | None) -> str:
    """ "[Citaat van <name>, <function> van <organisation>]": whoever signed for the partner, else its signatory."""
    signature = next((s for s in award.signatures if s.stakeholder_id == stakeholder.id), None) if award else None
    name = signature.name if signature else stakeholder.signatory_name
    function = signature.function if signature else stakeholder.signatory_function
    organisation = stakeholder.organisation.name
    if name and function:
        return _(
            "[Citaat van %(name)s, %(function)s van %(organisation)s]",
            name=name,
            function=function,
            organisation=organisation,
        )
    return _("[Citaat namens %(organisation)s]", organisation=organisation)


def _contact(cycle: Cycle) -> str:
    """The municipality's representative in the partnership, with how to reach them; else the municipality."""
    municipality = next((s for s in cycle.stakeholders if s.role == PpsRole.GEMEENTE), None)
    if municipality is None or not municipality.representative_display:
        return cycle.park.municipality.name
    person = municipality.representative_user
    email = person.email if person is not None else municipality.representative_email
    details = [
        municipality.representative_display,
        municipality.organisation.name,
        email,
        municipality.representative_phone,
    ]
    return ", ".join(value for value in details if value)


def press_release(cycle: Cycle, award: Award | None, *, today: date, language: str = "nl") -> PressRelease:
    """What the press release says, in `language`. The day it speaks of is the ceremony, else the grant; what is not
    known yet stands as [placeholder] (the draft before the grant)."""
    park = cycle.park
    title = award_title(park)
    with force_locale(language if language in LANGUAGES else "nl"):
        day = (award.ceremony_on or award.awarded_on) if award is not None else None
        if day is None:
            lead = _(
                "Bedrijventerrein %(park)s ontvangt op [datum uitreiking] de %(title)s.", park=park.name, title=title
            )
        elif day > today:
            lead = _(
                "Bedrijventerrein %(park)s ontvangt op %(date)s de %(title)s.",
                park=park.name,
                date=format_date(day, "long"),
                title=title,
            )
        else:
            lead = _(
                "Bedrijventerrein %(park)s heeft op %(date)s de %(title)s ontvangen.",
                park=park.name,
                date=format_date(day, "long"),
                title=title,
            )
        lead += " " + _(
            "Ondernemers, %(municipality)s en hun partners spraken af het terrein de komende %(years)s jaar samen "
            "schoon, heel en veilig te houden, en legden dat vast in een uitvoeringsplan.",
            municipality=municipality_phrase(park.municipality.name),
            years=_("drie") if park.track == Track.KVO else _("twee"),
        )
        valid_until = award.valid_until if award is not None else None
        follow_up = _(
            "De werkgroep van ondernemers en partners komt elk kwartaal bij elkaar om de voortgang te bespreken."
        )
        follow_up += " " + _(
            "De erkenning is geldig tot en met %(date)s.",
            date=format_date(valid_until, "long") if valid_until else _("[datum]"),
        )
        follow_up += " " + (
            _("Elk jaar evalueren de partners de aanpak; voor verlenging volgt een nieuwe audit.")
            if park.track == Track.KVO
            else _("Daarna herijken de partners samen het plan.")
        )
        note = []
        if award is not None and award.ceremony_on is not None:
            note.append(
                _(
                    "De uitreiking is op %(date)s op bedrijventerrein %(park)s. Fotografen en journalisten zijn "
                    "welkom.",
                    date=format_date(award.ceremony_on, "full"),
                    park=park.name,
                )
            )
        note.append(_("Meer informatie: %(contact)s.", contact=_contact(cycle)))
        return PressRelease(
            headline=_("Bedrijventerrein %(park)s krijgt %(title)s", park=park.name, title=title),
            dateline=place_name(park.municipality.name).upper(),
            lead=lead,
            partners=_(
                "Aan de samenwerking doen mee: %(names)s.",
                names=_names([s.organisation.name for s in cycle.stakeholders]) or _("[partners]"),
            ),
            goals=[
                ThemeGoals(str(theme.label), [goal_sentence(goal) for goal in goals])
                for theme, goals in goals_by_theme(cycle)
                if goals
            ],
            quotes=[quote_placeholder(stakeholder, award) for stakeholder in cycle.stakeholders],
            follow_up=follow_up,
            note=note,
            map_caption=_("Het bedrijventerrein %(park)s op de kaart.", park=park.name),
        )


def _headings() -> dict[str, str]:
    return {
        "partners": _("De partners"),
        "goals": _("Wat de partners willen bereiken"),
        "quotes": _("Reacties"),
        "follow_up": _("Hoe verder"),
        "note": _("Noot voor de redactie (niet voor publicatie)"),
    }


def draft_press_release(cycle: Cycle, award: Award | None, *, today: date) -> str:
    """The press release as plain Dutch text, to copy into a mail or a website (the starting point the page
    offers to edit)."""
    content = press_release(cycle, award, today=today)
    with force_locale("nl"):
        headings = _headings()
    goals = [f"{group.theme}\n" + "\n".join(f"- {sentence}" for sentence in group.sentences) for group in content.goals]
    parts = [
        content.headline,
        f"{content.dateline} - {content.lead}",
        f"{headings['partners']}\n{content.partners}",
        f"{headings['goals']}\n" + ("\n\n".join(goals) or "- [doelen per thema]"),
        f"{headings['quotes']}\n" + "\n".join(content.quotes),
        f"{headings['follow_up']}\n{content.follow_up}",
        "---\n" + f"{headings['note']}\n" + "\n".join(content.note),
    ]
    return "\n\n".join(parts) + "\n"


def _placeholder(paragraph, value: str) -> None:
    """A run that shows it must be replaced: italic on a yellow highlight."""
    run = paragraph.add_run(value)
    run.italic = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _set_language(document, language: str) -> None:
    """The document's proofing language (Word checks the spelling in Dutch, not in English)."""
    properties = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "nl-NL" if language == "nl" else "en-GB")
    properties.append(lang)


def press_release_docx(cycle: Cycle, award: Award, *, today: date, language: str = "nl") -> bytes:
    """The press release as a Word document (DOCX) a communications officer edits: headline, lead, partners, goals
    per theme, a quote placeholder per partner, the park's map and the note for the editors."""
    language = language if language in LANGUAGES else "nl"
    content = press_release(cycle, award, today=today, language=language)
    with force_locale(language):
        headings = _headings()
    document = Document()
    _set_language(document, language)
    document.core_properties.title = content.headline
    document.core_properties.language = language
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    document.add_heading(content.headline, level=0)
    lead = document.add_paragraph()
    lead.add_run(f"{content.dateline} \u2013 ").bold = True  # an en dash, as the press writes it
    lead.add_run(content.lead)
    document.add_heading(headings["partners"], level=2)
    document.add_paragraph(content.partners)
    if content.goals:
        document.add_heading(headings["goals"], level=2)
        for group in content.goals:
            document.add_heading(group.theme, level=3)
            for sentence in group.sentences:
                document.add_paragraph(sentence, style="List Bullet")
    document.add_heading(headings["quotes"], level=2)
    for quote in content.quotes:
        _placeholder(document.add_paragraph(), quote)
    document.add_heading(headings["follow_up"], level=2)
    document.add_paragraph(content.follow_up)
    picture = map_png(cycle.park, companies=True, width_mm=MAP_WIDTH_MM, height_mm=MAP_HEIGHT_MM)
    if picture is not None:
        document.add_picture(BytesIO(picture), width=Cm(MAP_WIDTH_MM / 10))
        caption = document.add_paragraph(content.map_caption)
        caption.runs[0].italic = True
        caption.runs[0].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    document.add_paragraph("—")
    note = document.add_paragraph()
    note.add_run(headings["note"]).bold = True
    for line in content.note:
        document.add_paragraph(line)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
