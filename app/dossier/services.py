"""The audit dossier of a park's cycle for the KVO-B certification: one ZIP with an index PDF and every document a
certifier asks for (area map, stakeholders and the declaration of intent, survey report, inspection walks, goals,
the adopted plan and its progress, meeting minutes, camera compliance).

`parts(cycle)` says per document whether it can be made and, if not, why; `dossier_zip` builds the ZIP in memory.
A missing document is listed in the index as missing, never an error. Who may: `dossier.view` (the process owners
and the park's auditor); every download is audited (`dossier.downloaded`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.cameras.networks import network_of
from app.clock import LOCAL_TIME, local_day
from app.dossier import documents
from app.extensions import db
from app.goals.services import goals_of
from app.inventory.report import inspections_report_pdf
from app.parks.models import Cycle, CycleStatus, Park
from app.plans.pdf import plan_pdf
from app.plans.services import find_plan, preload
from app.stakeholders.declaration import declaration_pdf
from app.surveys.models import Survey, SurveyStatus
from app.surveys.report import report_pdf

INDEX_NAME = "00-inhoud.pdf"


@dataclass(frozen=True)
class Part:
    """One document of the dossier: its files when it can be made (`build` returns them), else why not."""

    key: str
    title: str
    description: str
    files: tuple[str, ...] = ()
    #: why the document is missing ("" when it is there)
    missing: str = ""
    #: a remark on a document that is there (say, not every stakeholder signed yet)
    note: str = ""
    build: Callable[[], dict[str, bytes]] | None = field(default=None, compare=False, repr=False)

    @property
    def available(self) -> bool:
        return not self.missing


def cycles_of(park: Park) -> list[Cycle]:
    """The park's cycles, newest first."""
    return sorted(park.cycles, key=lambda cycle: cycle.number, reverse=True)


def cycle_of(park: Park, number: int | None) -> Cycle | None:
    """The park's cycle with this number, or its active cycle when `number` is None; None when there is none."""
    for cycle in park.cycles:
        if (cycle.number == number) if number is not None else (cycle.status == CycleStatus.ACTIVE):
            return cycle
    return None


def survey_of(cycle: Cycle) -> Survey | None:
    """The cycle's newest survey, whatever its status."""
    return db.session.scalar(select(Survey).where(Survey.cycle_id == cycle.id).order_by(Survey.id.desc()).limit(1))


def _one(name: str, make: Callable[[], bytes]) -> Callable[[], dict[str, bytes]]:
    return lambda: {name: make()}


def _area(cycle: Cycle) -> Part:
    park = cycle.park
    title, description = _("Gebiedskaart"), _("De grens van het bedrijventerrein: kaart (PDF) en GeoJSON (WGS84).")
    if park.area is None:
        return Part("area", title, description, missing=_("Geen gebiedskaart: het gebied is nog niet ingetekend."))
    files = ("01-gebiedskaart.pdf", "01-gebied.geojson")
    return Part(
        "area",
        title,
        description,
        files,
        build=lambda: {files[0]: documents.area_pdf(cycle), files[1]: documents.area_geojson(park)},
    )


def _stakeholders(cycle: Cycle) -> list[Part]:
    title, description = (
        _("Deelnemerslijst"),
        _("De deelnemende organisaties, hun rol, vertegenwoordiger en tekenbevoegde."),
    )
    d_title = _("Intentieverklaring")
    d_description = _("De intentieverklaring van het samenwerkingsverband met de ondertekenaars.")
    stakeholders = cycle.stakeholders
    if not stakeholders:
        reason = _("er doen nog geen organisaties mee.")
        return [
            Part("stakeholders", title, description, missing=_("Geen deelnemerslijst: %(reason)s", reason=reason)),
            Part(
                "declaration", d_title, d_description, missing=_("Geen intentieverklaring: %(reason)s", reason=reason)
            ),
        ]
    name = "02-deelnemers.pdf"
    stakeholder_part = Part(
        "stakeholders", title, description, (name,), build=_one(name, lambda: documents.stakeholders_pdf(cycle))
    )
    signed = sum(1 for s in stakeholders if s.declaration_signed_on is not None)
    if signed == 0:
        declaration = Part(
            "declaration",
            d_title,
            d_description,
            missing=_("Geen ondertekende intentieverklaring: nog geen enkele deelnemer heeft getekend."),
        )
    else:
        name = "03-intentieverklaring.pdf"
        note = (
            _(
                "Nog niet door alle deelnemers ondertekend (%(signed)s van %(total)s).",
                signed=signed,
                total=len(stakeholders),
            )
            if signed < len(stakeholders)
            else ""
        )
        declaration = Part(
            "declaration", d_title, d_description, (name,), note=note, build=_one(name, lambda: declaration_pdf(cycle))
        )
    return [stakeholder_part, declaration]


def _survey(cycle: Cycle, today: date) -> Part:
    title, description = _("Enquêterapport"), _("Het rapport van de ondernemersenquête met de conclusies.")
    survey = survey_of(cycle)
    if survey is None:
        return Part("survey", title, description, missing=_("Geen enquêterapport: er is nog geen enquête."))
    if survey.status != SurveyStatus.CLOSED:
        return Part("survey", title, description, missing=_("Geen enquêterapport: de enquête is nog niet gesloten."))
    name = "04-enqueterapport.pdf"
    note = "" if survey.report_ready_at else _("Het rapport is nog niet klaar gemeld; de conclusies kunnen ontbreken.")
    return Part(
        "survey", title, description, (name,), note=note, build=_one(name, lambda: report_pdf(survey, today=today))
    )


def _inspections(cycle: Cycle) -> Part:
    title, description = _("Schouwrapport"), _("De schouwen van deze cyclus met hun bevindingen.")
    inspections = documents.inspections_of(cycle)
    if not inspections:
        return Part(
            "inspections", title, description, missing=_("Geen schouwrapport: er is nog geen schouw vastgelegd.")
        )
    name = "05-schouwrapport.pdf"
    return Part(
        "inspections",
        title,
        description,
        (name,),
        build=_one(name, lambda: inspections_report_pdf(cycle, inspections)),
    )


def _goals(cycle: Cycle) -> Part:
    title, description = _("Doelen"), _("De doelen met nulmeting, streefwaarde, laatste meting en stand.")
    if not goals_of(cycle):
        return Part("goals", title, description, missing=_("Geen doelen: er zijn nog geen doelen vastgelegd."))
    name = "06-doelen.pdf"
    return Part("goals", title, description, (name,), build=_one(name, lambda: documents.goals_pdf(cycle)))


def _plan(cycle: Cycle, today: date) -> list[Part]:
    title, description = _("Uitvoeringsplan"), _("Het vastgestelde uitvoeringsplan van twee jaar.")
    p_title, p_description = _("Voortgang"), _("De stand van de acties van het plan.")
    plan = find_plan(cycle)
    if plan is None:
        return [
            Part("plan", title, description, missing=_("Geen uitvoeringsplan: er is nog geen plan gemaakt.")),
            Part("progress", p_title, p_description, missing=_("Geen voortgang: er is nog geen plan gemaakt.")),
        ]
    if plan.adopted_version is None:
        plan_part = Part(
            "plan", title, description, missing=_("Geen uitvoeringsplan: het plan is nog niet vastgesteld.")
        )
    else:
        name = "07-uitvoeringsplan.pdf"
        plan_part = Part(
            "plan", title, description, (name,), build=_one(name, lambda: plan_pdf(preload(plan), today=today))
        )
    if not plan.actions:
        progress = Part(
            "progress", p_title, p_description, missing=_("Geen voortgang: het plan heeft nog geen acties.")
        )
    else:
        name = "08-voortgang.pdf"
        progress = Part(
            "progress",
            p_title,
            p_description,
            (name,),
            build=_one(name, lambda: documents.progress_pdf(plan, today=today)),
        )
    return [plan_part, progress]


def _meetings(cycle: Cycle) -> Part:
    title = _("Verslagen")
    description = _("Per gehouden vergadering: datum, soort, aanwezigheid, verslag en besluiten.")
    meetings = documents.held_meetings(cycle)
    if not meetings:
        return Part(
            "meetings", title, description, missing=_("Geen verslagen: er is nog geen vergadering met een verslag.")
        )
    name = "09-verslagen.pdf"
    return Part(
        "meetings", title, description, (name,), build=_one(name, lambda: documents.meetings_pdf(cycle, meetings))
    )


def _cameras(cycle: Cycle, today: date) -> Part:
    title = _("Cameratoezicht")
    description = _("Het cameranetwerk en de stand van het juridisch kader (convenant, register, bebording, DPIA).")
    network = network_of(cycle.park)
    if network is None:
        return Part("cameras", title, description, missing=_("Geen cameratoezicht: dit park heeft geen cameranetwerk."))
    name = "10-cameratoezicht.pdf"
    return Part(
        "cameras",
        title,
        description,
        (name,),
        build=_one(name, lambda: documents.cameras_pdf(cycle, network, today=today)),
    )


def parts(cycle: Cycle, *, today: date) -> list[Part]:
    """The dossier's documents in their order, each available (with its file names) or missing (with why)."""
    return [
        _area(cycle),
        *_stakeholders(cycle),
        _survey(cycle, today),
        _inspections(cycle),
        _goals(cycle),
        *_plan(cycle, today),
        _meetings(cycle),
        _cameras(cycle, today),
    ]


def _built(part: Part) -> tuple[Part, dict[str, bytes]]:
    """The part's files; a document that fails to build is listed as missing instead of failing the dossier."""
    assert part.build is not None
    try:
        return part, part.build()
    except Exception:
        current_app.logger.exception("audit dossier: %s could not be made", part.key)
        broken = Part(
            part.key,
            part.title,
            part.description,
            missing=_("Kon niet worden gemaakt door een fout; meld dit aan de beheerder."),
        )
        return broken, {}


def dossier_zip(actor: User, cycle: Cycle, *, now: datetime) -> bytes:
    """The dossier of `cycle` as a ZIP (deflated, built in memory): the index PDF first, then every available
    document. Needs `dossier.view` on the park (NotAllowed otherwise); the download is audited."""
    park = cycle.park
    ensure_can(actor, "dossier.view", park)
    today = local_day(now)
    stamp = now.astimezone(LOCAL_TIME).timetuple()[:6]
    files: dict[str, bytes] = {}
    done: list[Part] = []
    for part in parts(cycle, today=today):
        if part.available:
            part, made = _built(part)
            files.update(made)
        done.append(part)
    entries = [(name, p.title, " ".join(v for v in (p.description, p.note) if v)) for p in done for name in p.files]
    missing = [(p.title, p.missing) for p in done if not p.available]
    index = documents.index_pdf(cycle, [(INDEX_NAME, _("Inhoud"), _("Deze lijst.")), *entries], missing, today=today)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {INDEX_NAME: index, **files}.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    audit.record(
        actor,
        "dossier.downloaded",
        cycle,
        park=park,
        details={
            "cycle": cycle.number,
            "files": [INDEX_NAME, *files],
            "missing": [p.key for p in done if not p.available],
        },
    )
    db.session.flush()
    return buffer.getvalue()
