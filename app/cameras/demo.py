"""Demo cameras: two camera networks with their legal frame, footage requests, quality checks and evaluation."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.auth.services import find_user_by_email
from app.cameras import checks, evaluations, findings
from app.cameras.models import (
    Camera,
    CameraHealth,
    CameraNetwork,
    CameraOutage,
    CameraStatus,
    CameraType,
    CheckScore,
    Evaluation,
    EvaluationDecision,
    FootageDecision,
    FootageRequest,
    QualityCheck,
    RequesterKind,
    Score,
    TechnologyChange,
)
from app.clock import local_today
from app.demo import DEMO_DOMAIN
from app.extensions import db

#: per park: the camera network, its cameras (code, type, lat, lon, direction, status, coverage) and its legal
#: frame as days ago (None: not done), plus a technology change after the DPIA on Lage Weide
DEMO_NETWORKS = {
    "Lage Weide": {
        "name": "Cameranetwerk Lage Weide",
        "owner": "Stichting Beveiliging Lage Weide",
        "monitoring": "Meldkamer Midden-Nederland (particuliere alarmcentrale)",
        "funding": "Ondernemersfonds Utrecht en bijdragen van de deelnemende bedrijven",
        "retention": 28,
        "legal": {"convenant": 600, "register": 590, "signage": 300, "dpia": 900, "masking": 590},
        "change": (120, "Twee kentekencamera's op de toegangswegen toegevoegd"),
        "cameras": [
            ("LW-01", CameraType.ANPR, 52.1012, 5.0625, 90, CameraStatus.ACTIVE, "Inrit Atoomweg, beide rijstroken"),
            ("LW-02", CameraType.ANPR, 52.1013, 5.0930, 270, CameraStatus.ACTIVE, "Inrit Isotopenweg"),
            ("LW-03", CameraType.FIXED, 52.1060, 5.0720, 0, CameraStatus.ACTIVE, "Kruising Electronweg"),
            ("LW-04", CameraType.FLEXIBLE, 52.1080, 5.0800, None, CameraStatus.ACTIVE, "Kade, wisselende plek"),
            ("LW-05", CameraType.FIXED, 52.1040, 5.0850, 180, CameraStatus.DEFECT, "Einde van de kade"),
        ],
    },
    "Cartesiusweg": {
        "name": "Cameranetwerk Cartesiusweg",
        "owner": "Ondernemersvereniging Cartesiusweg",
        "monitoring": "Meldkamer Midden-Nederland (particuliere alarmcentrale)",
        "funding": "Bijdragen van de deelnemende bedrijven",
        "retention": 14,
        "legal": {"convenant": 400, "register": 395, "signage": 100, "dpia": 420, "masking": None},
        "change": None,
        "cameras": [
            ("CW-01", CameraType.ANPR, 52.1010, 5.0910, 90, CameraStatus.ACTIVE, "Inrit Cartesiusweg"),
            ("CW-02", CameraType.FIXED, 52.1040, 5.0940, 45, CameraStatus.ACTIVE, "Doorsteek naar het spoor"),
            ("CW-03", CameraType.FIXED, 52.1060, 5.0990, 270, CameraStatus.ACTIVE, "Parkeerterrein"),
        ],
    },
}


def seed_demo(created: list, organisations: dict, parks: dict, *, now: datetime) -> None:
    """A camera network with its legal frame on Lage Weide (a DPIA due again after new ANPR cameras, a camera
    offline) and on Cartesiusweg, with one footage request handed over on a written demand and one refused."""
    today = local_today()
    officer = find_user_by_email(f"camera@{DEMO_DOMAIN}")
    for name, plan in DEMO_NETWORKS.items():
        park = parks[name]
        existing = db.session.scalar(select(CameraNetwork).where(CameraNetwork.park_id == park.id))
        if existing is not None:
            # an older demo had Lage Weide's association own the network on Cartesiusweg
            if existing.owner_name == "Ondernemersvereniging Lage Weide" != plan["owner"]:
                existing.owner_name = plan["owner"]
            continue
        legal = {key: today - timedelta(days=days) if days else None for key, days in plan["legal"].items()}
        network = CameraNetwork(
            park=park,
            name=plan["name"],
            owner_name=plan["owner"],
            operator=organisations["Ondernemersvereniging Lage Weide"],
            operator_contact="Beheerder cameranetwerk",
            operator_email="camera@ovlageweide.example",
            monitoring_party=plan["monitoring"],
            contract_starts_on=today - timedelta(days=700),
            contract_ends_on=today + timedelta(days=400),
            funding=plan["funding"],
            purpose="Beveiliging van de bedrijven en hun eigendommen op het terrein, buiten werktijd.",
            public_contact="camera@ovlageweide.example, 030 000 00 00",
            retention_days=plan["retention"],
            convenant_signed_on=legal["convenant"],
            register_entered_on=legal["register"],
            signage_checked_on=legal["signage"],
            dpia_on=legal["dpia"],
            masking_confirmed_on=legal["masking"],
        )
        if plan["change"]:
            days, description = plan["change"]
            network.technology_changes.append(
                TechnologyChange(changed_on=today - timedelta(days=days), description=description)
            )
        for code, kind, lat, lon, direction, status, coverage in plan["cameras"]:
            network.cameras.append(
                Camera(
                    code=code,
                    type=kind,
                    lat=lat,
                    lon=lon,
                    direction=direction,
                    status=status,
                    coverage_note=coverage,
                    installed_on=today - timedelta(days=650),
                    last_maintenance_on=today - timedelta(days=75),
                )
            )
        db.session.add(network)
        db.session.flush()
        # the video system's report of last week: the defect camera has been offline since yesterday morning,
        # another had a night without recording
        week_end = now.replace(minute=0, second=0, microsecond=0)
        for index, camera in enumerate(network.cameras):
            gap = 30 * 60 if camera.status == CameraStatus.DEFECT else 180 if index == 1 else 5 * index
            db.session.add(
                CameraHealth(
                    camera=camera,
                    period_start=week_end - timedelta(days=7),
                    period_end=week_end,
                    uptime_percent=round(100 - gap / (7 * 24 * 60) * 100, 1),
                    gap_minutes=gap,
                )
            )
            if camera.status == CameraStatus.DEFECT:
                camera.outages.append(CameraOutage(started_at=week_end - timedelta(hours=30)))
            elif index == 1:
                started = week_end - timedelta(days=3, hours=22)
                camera.outages.append(CameraOutage(started_at=started, ended_at=started + timedelta(hours=3)))
        first = network.cameras[0]
        window_start = now - timedelta(days=9, hours=3)
        db.session.add_all(
            [
                FootageRequest(
                    network=network,
                    received_on=today - timedelta(days=8),
                    requester_kind=RequesterKind.JUSTICE,
                    authority="Politie Midden-Nederland, basisteam Utrecht-West",
                    demand_reference=f"PL0900-2026{network.id:04d}",
                    demand_date=today - timedelta(days=8),
                    window_start=window_start,
                    window_end=window_start + timedelta(hours=2),
                    decision=FootageDecision.PROVIDED,
                    handed_over_by=officer.name,
                    handed_over_at=now - timedelta(days=7),
                    recorded_by_id=officer.id,
                    cameras=[first],
                ),
                FootageRequest(
                    network=network,
                    received_on=today - timedelta(days=3),
                    requester_kind=RequesterKind.MEMBER,
                    authority="Een deelnemende ondernemer",
                    window_start=now - timedelta(days=4),
                    window_end=now - timedelta(days=4) + timedelta(hours=1),
                    decision=FootageDecision.REFUSED,
                    reason="Beelden gaan alleen naar justitie op een schriftelijke vordering; aangifte aangeraden.",
                    recorded_by_id=officer.id,
                    cameras=[first],
                ),
            ]
        )
        _seed_camera_checks(network, officer, today=today)
        created.append(network)


#: a done quality check per park: (days ago, the criterion that deviated, its score, the note)
DEMO_CHECKS = {
    # long enough ago that the next check (three months on) is overdue: the camera officer's home page shows it
    "Lage Weide": (100, "image_night", Score.MAJOR, "LW-04 op de kade geeft 's nachts alleen ruis: lamp defect."),
    "Cartesiusweg": (40, "signage", Score.MINOR, "Bord bij de inrit is beschadigd maar leesbaar."),
}


def _seed_camera_checks(network: CameraNetwork, officer: User, *, today: date) -> None:
    """The network's last quality check (on Lage Weide, without a plan, its major finding waits for the plan), and on
    Cartesiusweg the half-yearly evaluation that followed it."""
    days, deviating, score, note = DEMO_CHECKS[network.park.name]
    check = QualityCheck(
        network=network,
        due_on=today - timedelta(days=days),
        done_on=today - timedelta(days=days),
        checker_id=officer.id,
        criteria=checks.template_for(network),
    )
    for criterion in check.criteria:
        deviates = criterion["key"] == deviating
        check.scores.append(
            CheckScore(criterion=criterion["key"], score=score if deviates else Score.OK, note=note if deviates else "")
        )
    db.session.add(check)
    db.session.flush()
    # a major finding becomes an action, or (Lage Weide has no plan yet) waits for the plan, as on the check page
    for major in (s for s in check.scores if s.score == Score.MAJOR):
        findings.place_finding(officer, major, today=check.done_on)
    if network.park.name != "Cartesiusweg":
        return
    start, end = evaluations.half_year_before(today)
    db.session.add(
        Evaluation(
            network=network,
            period_start=start,
            period_end=end,
            answers={key: {"met": True, "note": ""} for key, _label in evaluations.CRITERIA},
            figures=evaluations.period_figures(network, start, end) | {"incidents_seen": 7},
            incidents_seen=7,
            decision=EvaluationDecision.CONTINUE,
            reasoning="De camera's helpen bij de opsporing van inbraken in bedrijfsbusjes en maken deel uit van "
            "het pakket met verlichting en surveillance. Het netwerk blijft zoals het is.",
            decided_on=end + timedelta(days=20),
        )
    )
