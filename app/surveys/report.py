"""The survey report (PDF): cover, method, response, results per theme with charts, comparison with the
previous survey, the advisor's conclusions. Plain data first (`report_data`), then flowables."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.clock import local_today
from app.errors import DomainError
from app.extensions import db
from app.reports.layout import (
    FONT,
    HOUSE_COLOUR,
    MUTED_COLOUR,
    build_pdf,
    paragraph,
    styles,
    table_style_commands,
    text,
)
from app.reports.wording import long_date, place_name
from app.surveys.models import Survey, SurveyStatus
from app.surveys.response_rate import RateRow, response_rate
from app.surveys.results import (
    GRADE,
    NUISANCE,
    SAFE_DARK,
    SAFE_DAY,
    SUPPRESSED,
    VICTIMISATION,
    QuestionResult,
    Results,
    aggregate,
    number,
)
from app.surveys.services import ensure_cycle_active

SECOND_COLOUR = colors.HexColor("#b35c00")  # dark orange: tells apart from the house blue, also in grey print
CHART_WIDTH = 170 * mm
LABEL_WIDTH = 62 * mm
LABEL_CHARACTERS = 40
CONCLUSIONS_MAX = 20_000
#: the themes shown with a chart; every other question follows as a table
THEMED = frozenset({SAFE_DAY, SAFE_DARK, GRADE, VICTIMISATION, NUISANCE})


@dataclass(frozen=True)
class ReportData:
    title: str
    park: str
    municipality: str
    cycle_number: int
    survey_title: str
    opens_on: date | None
    closes_on: date | None
    made_on: date
    ready: bool
    response: RateRow
    sectors: list[RateRow]
    merged_sectors: int
    via_public_link: int | None
    results: Results
    conclusions: str


def report_data(survey: Survey, *, today: date | None = None) -> ReportData:
    """What the report says: the k-anonymous results without free text (the report goes to every partner)."""
    rate = response_rate(survey)
    results = aggregate(survey, include_text=False)
    return ReportData(
        title=_("Rapport ondernemersenquête %(park)s", park=survey.park.name),
        park=survey.park.name,
        municipality=survey.park.municipality.name,
        cycle_number=survey.cycle.number,
        survey_title=survey.title,
        opens_on=survey.opens_on,
        closes_on=survey.closes_on,
        made_on=today or local_today(),
        ready=survey.report_ready_at is not None,
        response=rate.total,
        sectors=rate.sectors,
        merged_sectors=rate.merged_sectors,
        via_public_link=rate.via_public_link,
        results=results,
        conclusions=survey.conclusions or "",
    )


# Building blocks


def _table(header: list[str], rows: list[list[object]], widths: list[float], spans: Iterable[int] = ()) -> Table:
    """A data table in the house style; `spans` are (0-based) body rows whose second cell spans to the end."""
    sheet = styles()
    data = [[Paragraph(text(h), sheet["cell_head"]) for h in header]]
    data += [[Paragraph(text(cell), sheet["cell"]) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", spaceAfter=2 * mm)
    table.setStyle(TableStyle(table_style_commands() + [("SPAN", (1, r + 1), (-1, r + 1)) for r in spans]))
    return table


def _percent(value: str) -> str:
    return f"{value}\u00a0%"  # never a line break between the number and its sign


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _bar_chart(labels: list[str], percents: list[float]) -> Drawing:
    """Horizontal bars 0-100 % with the percentage beside each bar, the first label at the top."""
    row = 7 * mm
    height = row * len(labels) + 12 * mm
    drawing = Drawing(CHART_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = LABEL_WIDTH, 8 * mm
    chart.width, chart.height = CHART_WIDTH - LABEL_WIDTH - 14 * mm, row * len(labels)
    # the category axis runs bottom-up: reverse, so the chart reads in the order of the table
    chart.data = [list(reversed(percents))]
    chart.categoryAxis.categoryNames = [_short(label) for label in reversed(labels)]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d %%"
    chart.bars[0].fillColor = HOUSE_COLOUR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda value: f"{number(value, 0)} %"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def _distribution_chart(categories: list[str], series: list[tuple[str, list[float]]]) -> Drawing:
    """Vertical bars per answer option, one colour per series (day, after dark), with a legend."""
    drawing = Drawing(CHART_WIDTH, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 12 * mm
    chart.width, chart.height = 110 * mm, 44 * mm
    chart.data = [values for _label, values in series]
    chart.categoryAxis.categoryNames = categories
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d %%"
    palette = [HOUSE_COLOUR, SECOND_COLOUR]
    for index in range(len(series)):
        chart.bars[index].fillColor = palette[index % len(palette)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 130 * mm, 50 * mm
    legend.fontName, legend.fontSize = FONT, 8
    legend.alignment = "right"
    legend.colorNamePairs = [(palette[i % len(palette)], label) for i, (label, _values) in enumerate(series)]
    drawing.add(legend)
    return drawing


def _question_table(question: QuestionResult) -> list[Flowable]:
    """One question as a table of its options (of its matrix rows, with the share per column; of a ranking's
    choices, with their mean position), or a numeric question's mean."""
    title = paragraph(question.title, "h3")
    if question.suppressed:
        return [title, paragraph(_suppressed(question.answered), "small")]
    compared = question.compared
    if question.matrix:
        header = [_("Onderdeel"), *question.columns]
        rows = [
            [row.label, str(SUPPRESSED), *("" for _c in question.columns[1:])]
            if row.suppressed
            else [row.label, *(_percent(s.percent_text) for s in row.shares[: len(question.columns)])]
            for row in question.rows
        ]
        first = 55 * mm
        rest = (CHART_WIDTH - first) / max(len(question.columns), 1)
        spans = [i for i, row in enumerate(question.rows) if row.suppressed]
        return [title, _table(header, rows, [first] + [rest] * len(question.columns), spans)]
    change = [_("Verschil (procentpunt)")] if compared else []
    if question.ranking:
        header = [_("Keuze"), _("Gemiddelde positie"), _("Als eerste gekozen"), _("Percentage"), *change]
        rows = [
            [s.label, s.mean_text, str(s.count), _percent(s.percent_text)] + ([s.change_text] if compared else [])
            for s in question.shares
        ]
        widths = [62 * mm, 30 * mm, 30 * mm, 22 * mm] + ([26 * mm] if compared else [])
        note = " ".join(
            (
                question.answered_text,
                _("Positie 1 is de eerste plaats; het percentage is het deel dat de keuze als eerste zette."),
            )
        )
        return [title, _table(header, rows, widths), paragraph(note, "small")]
    note = question.answered_text
    if question.multiple:
        note += " " + _("Meerdere antwoorden waren mogelijk.")
    if question.mean is not None:
        note += " " + _("Gemiddelde: %(mean)s.", mean=question.mean_text)
    if not question.shares:  # a numeric question: its mean only
        return [title, paragraph(note)]
    header = [_("Antwoord"), _("Aantal"), _("Percentage"), *change]
    rows = [
        [s.label, str(s.count), _percent(s.percent_text)] + ([s.change_text] if compared else [])
        for s in question.shares
    ]
    widths = [80 * mm, 22 * mm, 28 * mm] + ([36 * mm] if compared else [])
    # a slider's many steps read better as a distribution than as a column of figures alone
    chart = (
        [
            _distribution_chart(
                [s.label for s in question.shares], [(_("Percentage"), [s.percent for s in question.shares])]
            )
        ]
        if question.type == "slider"
        else []
    )
    return [title, *chart, _table(header, rows, widths), paragraph(note, "small")]


def _suppressed(answered: int) -> str:
    return ngettext("%(num)s antwoord: %(message)s.", "%(num)s antwoorden: %(message)s.", answered, message=SUPPRESSED)


# Sections


def _cover(data: ReportData) -> list[Flowable]:
    period = _("%(start)s tot en met %(end)s", start=long_date(data.opens_on), end=long_date(data.closes_on))
    rows = [
        [_("Bedrijventerrein"), data.park],
        [_("Gemeente"), place_name(data.municipality)],
        [_("Cyclus"), str(data.cycle_number)],
        [_("Periode"), period],
        [_("Datum rapport"), long_date(data.made_on)],
    ]
    sheet = styles()
    table = Table(
        [[Paragraph(text(k), sheet["cell_head"]), Paragraph(text(v), sheet["cell"])] for k, v in rows],
        colWidths=[45 * mm, 115 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, MUTED_COLOUR), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    flowables: list[Flowable] = [
        Spacer(1, 30 * mm),
        paragraph(data.title, "title"),
        paragraph(data.survey_title, "h2"),
        table,
    ]
    if not data.ready:
        flowables += [
            Spacer(1, 8 * mm),
            paragraph(_("Concept: de adviseur heeft dit rapport nog niet als klaar gemeld.")),
        ]
    return [*flowables, PageBreak()]


def _method(data: ReportData) -> list[Flowable]:
    k = data.results.k
    return [
        paragraph(_("Methode"), "h2"),
        paragraph(
            ngettext(
                "%(num)s bedrijf op %(park)s kreeg een persoonlijke uitnodiging met een link die één keer werkt.",
                "%(num)s bedrijven op %(park)s kregen een persoonlijke uitnodiging met een link die één keer werkt.",
                data.response.invited,
                park=data.park,
            )
        ),
        paragraph(
            _(
                "De enquête stond open van %(start)s tot en met %(end)s. De vragen gaan over de afgelopen twaalf "
                "maanden.",
                start=long_date(data.opens_on),
                end=long_date(data.closes_on),
            )
        ),
        paragraph(
            _(
                "De antwoorden zijn anoniem: ze worden bewaard zonder bedrijfsnaam, link of tijdstip, alleen met de "
                "dag van invullen. Contactgegevens van wie benaderd wil worden, staan daar los van."
            )
        ),
        paragraph(
            _(
                "Uitkomsten over minder dan %(k)s respondenten worden niet getoond, ook niet per sector, zodat "
                "niemand uit de cijfers is te herleiden. Open antwoorden staan niet in dit rapport.",
                k=k,
            )
        ),
    ]


def _response(data: ReportData) -> list[Flowable]:
    total = data.response
    flowables: list[Flowable] = [
        paragraph(_("Respons"), "h2"),
        paragraph(
            _(
                "%(invited)s; %(opened)s en %(completed)s: een respons van %(rate)s.",
                invited=ngettext("%(num)s bedrijf is uitgenodigd", "%(num)s bedrijven zijn uitgenodigd", total.invited),
                opened=ngettext("%(num)s opende de enquête", "%(num)s openden de enquête", total.opened),
                completed=ngettext("%(num)s vulde hem in", "%(num)s vulden hem in", total.completed),
                rate=_percent(total.rate_text),
            )
        ),
    ]
    if data.via_public_link is None:
        flowables.append(
            paragraph(
                _(
                    "Hoeveel antwoorden via de openbare link kwamen, is niet apart getoond: langs een van beide wegen "
                    "kwamen er minder dan %(k)s.",
                    k=data.results.k,
                )
            )
        )
    elif data.via_public_link:
        flowables.append(
            paragraph(
                ngettext(
                    "Via de openbare link kwam nog %(num)s antwoord binnen.",
                    "Via de openbare link kwamen nog %(num)s antwoorden binnen.",
                    data.via_public_link,
                )
            )
        )
    flowables.append(
        paragraph(
            ngettext(
                "In totaal is %(num)s ingevulde enquête verwerkt.",
                "In totaal zijn %(num)s ingevulde enquêtes verwerkt.",
                data.results.responses,
            )
        )
    )
    if data.results.held_back:
        flowables.append(paragraph(data.results.held_back_text))
    if data.sectors:
        header = [_("Sector"), _("Uitgenodigd"), _("Geopend"), _("Ingevuld"), _("Respons")]
        rows = [[r.label, r.invited, r.opened, r.completed, _percent(r.rate_text)] for r in [*data.sectors, total]]
        flowables.append(_table(header, rows, [60 * mm, 27 * mm, 27 * mm, 27 * mm, 29 * mm]))
    if data.merged_sectors:
        flowables.append(
            paragraph(
                ngettext(
                    "%(num)s sector met minder dan %(k)s ingevulde enquêtes is niet apart getoond.",
                    "%(num)s sectoren met minder dan %(k)s ingevulde enquêtes zijn niet apart getoond.",
                    data.merged_sectors,
                    k=data.results.k,
                )
            )
        )
    return flowables


def _safety(results: Results) -> list[Flowable]:
    """The distributions of feeling safe by day and after dark in one chart, and the means (with the grade)."""
    questions = [*results.safety, *([results.grade] if results.grade else [])]
    if not questions:
        return []
    opening: list[Flowable] = [paragraph(_("Veiligheidsgevoel"), "h3")]
    shown = [q for q in results.safety if not q.suppressed]
    shown = [q for q in shown if len(q.shares) == len(shown[0].shares)]
    if shown:
        opening.append(paragraph(_("Verdeling van de antwoorden, in procenten van wie de vraag beantwoordde.")))
        series = [(_short_label(q.name) if len(shown) > 1 else q.title, [s.percent for s in q.shares]) for q in shown]
        opening.append(_distribution_chart([str(s.value) for s in shown[0].shares], series))
    compared = results.previous is not None
    rows = [
        [q.title, str(SUPPRESSED), *([""] if compared else [])]
        if q.suppressed
        else [q.title, q.mean_text, *([q.mean_change_text] if compared else [])]
        for q in questions
    ]
    header = [_("Vraag"), _("Gemiddelde")] + ([_("Verschil")] if compared else [])
    spans = [i for i, q in enumerate(questions) if q.suppressed]
    table = _table(header, rows, [110 * mm, 30 * mm] + ([30 * mm] if compared else []), spans)
    return [KeepTogether(opening), table]


def _short_label(name: str) -> str:
    return {SAFE_DAY: _("Overdag"), SAFE_DARK: _("Na donker")}.get(name, name)


def _matrix_theme(question: QuestionResult | None, heading: str, intro: str, results: Results) -> list[Flowable]:
    if question is None:
        return []
    opening: list[Flowable] = [paragraph(heading, "h3"), paragraph(intro)]
    if question.suppressed:
        return [*opening, paragraph(_suppressed(question.answered))]
    shown = [row for row in question.rows if not row.suppressed]
    if shown:
        opening.append(_bar_chart([r.label for r in shown], [r.any.percent for r in shown]))
    flowables: list[Flowable] = [KeepTogether(opening)]
    compared = results.previous is not None and question.compared
    header = [_("Onderdeel"), _("Aantal"), _("Percentage")] + ([_("Verschil (procentpunt)")] if compared else [])
    rows = [
        [row.label, str(SUPPRESSED), "", *([""] if compared else [])]
        if row.suppressed
        else [
            row.label,
            str(row.any.count),
            _percent(row.any.percent_text),
            *([row.any.change_text] if compared else []),
        ]
        for row in question.rows
    ]
    spans = [i for i, row in enumerate(question.rows) if row.suppressed]
    flowables.append(_table(header, rows, [80 * mm, 22 * mm, 28 * mm] + ([36 * mm] if compared else []), spans))
    return flowables


def _sector_table(results: Results) -> list[Flowable]:
    if not results.sectors:
        return []
    header = [
        _("Sector"),
        _("Aantal"),
        _("Veilig overdag"),
        _("Veilig na donker"),
        _("Rapportcijfer"),
        _("Slachtoffer"),
    ]
    rows = []
    for sector in results.sectors:
        if sector.suppressed:
            rows.append([sector.label, str(SUPPRESSED), "", "", "", ""])
        else:
            rows.append(
                [
                    sector.label,
                    str(sector.count),
                    sector.text("safe_day"),
                    sector.text("safe_dark"),
                    sector.text("grade"),
                    _percent(sector.text("victims")) if sector.victims is not None else "—",
                ]
            )
    return [
        paragraph(_("Per sector"), "h3"),
        paragraph(
            _("Gemiddelden per sector; sectoren met minder dan %(k)s respondenten worden niet getoond.", k=results.k)
        ),
        _table(
            header,
            rows,
            [44 * mm, 20 * mm, 27 * mm, 29 * mm, 27 * mm, 23 * mm],
            [i for i, sector in enumerate(results.sectors) if sector.suppressed],
        ),
    ]


def _results(data: ReportData) -> list[Flowable]:
    results = data.results
    flowables: list[Flowable] = [CondPageBreak(60 * mm), paragraph(_("Resultaten"), "h2")]
    if results.suppressed:
        return [
            *flowables,
            paragraph(
                ngettext(
                    "Er is %(num)s antwoord, minder dan %(k)s: %(message)s.",
                    "Er zijn %(num)s antwoorden, minder dan %(k)s: %(message)s.",
                    results.responses,
                    k=results.k,
                    message=SUPPRESSED,
                )
            ),
        ]
    flowables += _safety(results)
    victims = results.victimisation
    flowables += _matrix_theme(
        victims,
        _("Slachtofferschap"),
        _(
            "Het deel van de respondenten dat de afgelopen twaalf maanden minstens één keer slachtoffer was, "
            "per delict."
        ),
        results,
    )
    if results.victims_any is not None:
        line = _(
            "Slachtoffer van minstens één delict: %(percent)s.", percent=_percent(results.victims_any.percent_text)
        )
        flowables.append(paragraph(line))
    flowables += _matrix_theme(
        results.themes,
        _("Schoon, heel en veilig"),
        _("Het deel van de respondenten dat enige of veel overlast ervaart, per onderwerp."),
        results,
    )
    flowables += _sector_table(results)
    others = [q for q in results.questions if q.name not in THEMED and not q.free_text]
    if others:
        flowables.append(paragraph(_("Overige vragen"), "h3"))
        flowables += [KeepTogether(_question_table(q)) for q in others]
    return flowables


def _comparison(data: ReportData) -> list[Flowable]:
    results = data.results
    flowables: list[Flowable] = [CondPageBreak(50 * mm), paragraph(_("Vergelijking met de vorige enquête"), "h2")]
    previous = results.previous
    if previous is None:
        return [*flowables, paragraph(_("Er is geen eerdere enquête op dit bedrijventerrein om mee te vergelijken."))]
    flowables.append(
        paragraph(
            ngettext(
                "De vorige enquête (%(title)s, cyclus %(cycle)s) had %(num)s antwoord. Verschillen staan in "
                "procentpunten; bij gemiddelden in punten op de schaal van de vraag.",
                "De vorige enquête (%(title)s, cyclus %(cycle)s) had %(num)s antwoorden. Verschillen staan in "
                "procentpunten; bij gemiddelden in punten op de schaal van de vraag.",
                previous.responses,
                title=previous.title,
                cycle=previous.cycle_number,
            )
        )
    )
    if results.suppressed or previous.responses < results.k:
        return [*flowables, paragraph(_("Een van beide enquêtes heeft te weinig antwoorden om te vergelijken."))]
    rows = []
    for question in [*results.safety, *([results.grade] if results.grade else [])]:
        if question.compared and question.mean_change is not None:
            rows.append([question.title, question.mean_text, question.mean_change_text])
    if results.victims_any is not None and results.victims_any.change is not None:
        rows.append(
            [
                _("Slachtoffer van minstens één delict"),
                _percent(results.victims_any.percent_text),
                results.victims_any.change_text,
            ]
        )
    for question in (results.victimisation, results.themes):
        if question is None or not question.compared:
            continue
        rows += [
            [
                _("Slachtoffer: %(item)s", item=row.label)
                if question is results.victimisation
                else _("Overlast: %(item)s", item=row.label),
                _percent(row.any.percent_text),
                row.any.change_text,
            ]
            for row in question.rows
            if not row.suppressed and row.any.change is not None
        ]
    rows += [
        [_("%(question)s (gemiddelde)", question=question.title), question.mean_text, question.mean_change_text]
        for question in results.questions
        if question.name not in THEMED and question.compared and question.mean_change is not None
    ]
    if not rows:
        if any(question.compared for question in results.questions):
            return [*flowables, paragraph(_("De verschillen per antwoord staan bij de vragen hierboven."))]
        return [*flowables, paragraph(_("De vorige enquête stelde geen vergelijkbare vragen."))]
    flowables.append(_table([_("Onderwerp"), _("Nu"), _("Verschil")], rows, [110 * mm, 30 * mm, 30 * mm]))
    return flowables


def _conclusions(data: ReportData) -> list[Flowable]:
    flowables: list[Flowable] = [CondPageBreak(40 * mm), paragraph(_("Conclusies"), "h2")]
    paragraphs = [part.strip() for part in data.conclusions.replace("\r\n", "\n").split("\n\n") if part.strip()]
    if not paragraphs:
        return [*flowables, paragraph(_("De adviseur heeft nog geen conclusies geschreven."))]
    sheet = styles()
    return flowables + [Paragraph(text(part).replace("\n", "<br/>"), sheet["body"]) for part in paragraphs]


def report_flowables(data: ReportData) -> list[Flowable]:
    return [*_cover(data), *_method(data), *_response(data), *_results(data), *_comparison(data), *_conclusions(data)]


def report_pdf(survey: Survey, *, compress: bool = True, today: date | None = None) -> bytes:
    """The survey's report as a PDF on the platform's page template."""
    data = report_data(survey, today=today)
    return build_pdf(data.title, report_flowables(data), compress=compress)


def save_conclusions(actor: User, survey: Survey, *, conclusions: str, ready: bool, now: datetime) -> None:
    """Store the advisor's conclusions for the report and mark the report ready (or not ready any more).

    Advisors and the municipality only (`surveys.manage`). Marking it ready needs a closed survey (the figures
    no longer change) and conclusions (DomainError otherwise); that is step 3's exit criterion. Audited as
    "surveys.report_ready" when it becomes ready, else as "surveys.conclusions_saved".
    """
    ensure_can(actor, "surveys.manage", survey.park)
    ensure_cycle_active(survey)
    # control characters (NUL in particular, which PostgreSQL refuses) only break the report
    conclusions = "".join(c for c in conclusions if c in "\t\n\r" or unicodedata.category(c) != "Cc").strip()
    if len(conclusions) > CONCLUSIONS_MAX:
        raise DomainError(_("De conclusies zijn te lang (hoogstens %(n)s tekens).", n=CONCLUSIONS_MAX))
    if ready and survey.status != SurveyStatus.CLOSED:
        raise DomainError(_("Het rapport kan pas klaar zijn als de enquête gesloten is."))
    if ready and not conclusions:
        raise DomainError(_("Schrijf eerst de conclusies; daarna kan het rapport klaar worden gemeld."))
    was_ready = survey.report_ready_at is not None
    survey.conclusions = conclusions
    if ready and not was_ready:
        survey.report_ready_at = now
    elif not ready:
        survey.report_ready_at = None
    audit.record(
        actor,
        "surveys.report_ready" if ready and not was_ready else "surveys.conclusions_saved",
        survey,
        park=survey.park,
        details={"ready": ready, "was_ready": was_ready, "length": len(conclusions)},
    )
    db.session.flush()
