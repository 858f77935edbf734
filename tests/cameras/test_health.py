"""Camera health: the import of the video system's report (rules, all or nothing, outages recorded and merged) and
the offline alerts (once per long outage, never for a blip, delivered by mail)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.cameras import health, jobs, networks
from app.cameras.models import CameraHealth, CameraOutage, CameraStatus
from app.cameras.networks import ImportRefused
from app.errors import DomainError, NotAllowed
from app.extensions import db as _db
from app.jobs.registry import JOBS
from app.jobs.services import execute
from app.mail.jobs import deliver_due
from app.notifications.models import Notification
from tests.cameras.conftest import camera_values
from tests.factories import make_member
from tests.mail.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture

HEADER = "camera,van,tot,uptime,onderbrekingen\n"
DAY1 = "2026-03-01T00:00"
DAY2 = "2026-03-02T00:00"
DAY3 = "2026-03-03T00:00"


def utc(text: str) -> datetime:
    return health.parse_moment(text)


@pytest.fixture
def cameras(network, camera, camera_officer):
    second = networks.save_camera(camera_officer, network, camera_values(code="C02"))
    return camera, second


def run_import(user, network, text: str, *, filename="rapport.csv", encoding="utf-8"):
    return health.import_health(user, network, filename, text.encode(encoding))


def outages(camera):
    return list(
        _db.session.scalars(
            select(CameraOutage).where(CameraOutage.camera_id == camera.id).order_by(CameraOutage.started_at)
        )
    )


def test_import_writes_health_and_outages(db, network, cameras, camera_officer):
    c01, c02 = cameras
    text = (
        HEADER
        + f'C01,{DAY1},{DAY2},"97,5","2026-03-01T02:00/2026-03-01T02:30; 2026-03-01T10:00/2026-03-01T10:06"\n'
        + f"C02,{DAY1},{DAY2},100,\n"
    )
    result = run_import(camera_officer, network, text)
    assert (result.periods, result.outages) == (2, 2)
    record = db.session.scalar(select(CameraHealth).where(CameraHealth.camera_id == c01.id))
    assert record.uptime_percent == 97.5 and record.gap_minutes == 36
    assert record.period_start == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)  # naive = Dutch time
    assert [(o.started_at, o.ended_at) for o in outages(c01)] == [
        (utc("2026-03-01T02:00"), utc("2026-03-01T02:30")),
        (utc("2026-03-01T10:00"), utc("2026-03-01T10:06")),
    ]
    assert outages(c02) == []
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "cameras.health_imported")).one()
    assert event.details["periods"] == 2 and event.details["outages"] == 2
    # importing the same file again changes nothing
    run_import(camera_officer, network, text)
    assert len(outages(c01)) == 2
    assert len(db.session.scalars(select(CameraHealth)).all()) == 2


def test_semicolons_windows_1252_and_pipes(db, network, cameras, camera_officer):
    c01, _c02 = cameras
    text = (
        "Camera;Van;Tot;Uptime;Onderbrekingen (gaten)\n"
        f"C01;{DAY1};{DAY2};99,0 %;2026-03-01T02:00/2026-03-01T02:10|2026-03-01T03:00+01:00/2026-03-01T03:05+01:00\n"
    )
    run_import(camera_officer, network, text + "C02;2026-03-01 00:00;2026-03-02 00:00;100;\n", encoding="cp1252")
    assert [o.started_at for o in outages(c01)] == [utc("2026-03-01T02:00"), utc("2026-03-01T03:00")]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"C99,{DAY1},{DAY2},100,", "geen camera met de code C99"),
        (f"C01,{DAY2},{DAY1},100,", "van moet vóór tot liggen"),
        (f"C01,gisteren,{DAY2},100,", "Het tijdstip gisteren is ongeldig"),
        (f"C01,{DAY1},{DAY2},100.5,", "uptime is een percentage"),
        (f"C01,{DAY1},{DAY2},-1,", "uptime is een percentage"),
        (f"C01,{DAY1},{DAY2},veel,", "uptime is een percentage"),
        (f"C01,{DAY1},{DAY2},90,2026-03-01T02:00/2026-03-01T01:00", "eindigt niet na haar begin"),
        (f"C01,{DAY1},{DAY2},90,2026-02-28T22:00/2026-03-01T01:00", "niet binnen de periode"),
        (f"C01,{DAY1},{DAY2},90,2026-03-01T02:00", "geen interval"),
        (
            f'C01,{DAY1},{DAY2},90,"2026-03-01T02:00/2026-03-01T04:00;2026-03-01T03:00/2026-03-01T05:00"',
            "overlappen",
        ),
    ],
)
def test_a_bad_row_refuses_the_whole_file(db, network, cameras, camera_officer, row, message):
    text = HEADER + f"C02,{DAY1},{DAY2},50,2026-03-01T02:00/2026-03-01T03:00\n" + row + "\n"
    with pytest.raises(ImportRefused) as refused:
        run_import(camera_officer, network, text)
    [(number, error)] = refused.value.errors
    assert number == 3 and message in error
    db.session.rollback()
    assert db.session.scalars(select(CameraHealth)).all() == []
    assert db.session.scalars(select(CameraOutage)).all() == []


def test_the_same_camera_and_period_twice_is_refused(db, network, cameras, camera_officer):
    with pytest.raises(ImportRefused) as refused:
        run_import(camera_officer, network, HEADER + f"C01,{DAY1},{DAY2},100,\nC01,{DAY1},{DAY2},99,\n")
    assert refused.value.errors[0][0] == 3


def test_a_file_without_the_columns_is_refused(db, network, cameras, camera_officer):
    with pytest.raises(DomainError, match="ontbreken de kolommen"):
        run_import(camera_officer, network, "camera,van\nC01,2026-03-01\n")


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.ADVISOR, Role.AUDITOR])
def test_only_editors_import(db, park, network, cameras, role):
    with pytest.raises(NotAllowed):
        run_import(make_member(role, park), network, HEADER + f"C01,{DAY1},{DAY2},100,\n")


def test_a_gap_to_the_period_end_stays_open_and_merges_with_the_next_period(db, network, cameras, camera_officer):
    c01, _c02 = cameras
    run_import(camera_officer, network, HEADER + f"C01,{DAY1},{DAY2},75,2026-03-01T18:00/{DAY2}\n")
    [outage] = outages(c01)
    assert outage.started_at == utc("2026-03-01T18:00") and outage.ended_at is None
    # the next day's report: still offline until 09:00, then a blip in the afternoon
    run_import(
        camera_officer,
        network,
        HEADER + f'C01,{DAY2},{DAY3},60,"{DAY2}/2026-03-02T09:00|2026-03-02T15:00/2026-03-02T15:10"\n',
    )
    assert [(o.started_at, o.ended_at) for o in outages(c01)] == [
        (utc("2026-03-01T18:00"), utc("2026-03-02T09:00")),
        (utc("2026-03-02T15:00"), utc("2026-03-02T15:10")),
    ]
    # re-importing that report keeps the merged outage as it is
    run_import(
        camera_officer,
        network,
        HEADER + f'C01,{DAY2},{DAY3},60,"{DAY2}/2026-03-02T09:00|2026-03-02T15:00/2026-03-02T15:10"\n',
    )
    assert len(outages(c01)) == 2


def test_an_open_outage_ends_at_the_start_of_a_period_without_a_gap_at_its_start(db, network, cameras, camera_officer):
    c01, _c02 = cameras
    run_import(camera_officer, network, HEADER + f"C01,{DAY1},{DAY2},75,2026-03-01T18:00/{DAY2}\n")
    run_import(camera_officer, network, HEADER + f"C01,{DAY2},{DAY3},100,\n")
    [outage] = outages(c01)
    assert outage.ended_at == utc(DAY2)


def test_a_gap_to_the_period_end_with_full_uptime_is_closed(db, network, cameras, camera_officer):
    c01, _c02 = cameras
    run_import(camera_officer, network, HEADER + f"C01,{DAY1},{DAY2},100,2026-03-01T23:59/{DAY2}\n")
    assert outages(c01)[0].ended_at == utc(DAY2)


# -- offline alerts -------------------------------------------------------------------------------------------------

JOB_NOW = utc("2026-03-02T12:00")


@pytest.fixture
def officers(db, park, network, cameras, camera_officer):
    kees = make_member(Role.CAMERA_OFFICER, park, name="Kees Camera", email="kees@example.nl")
    make_member(Role.ADVISOR, park, name="Anouk")
    db.session.commit()
    return camera_officer, kees


def _notifications(db):
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).order_by(Notification.id)))


def test_a_long_outage_alerts_once_and_a_blip_never(db, network, cameras, officers, outbox):
    # C01 offline since 18:00 the evening before (still open); C02 a blip of 3 hours the day before
    run_import(
        officers[0],
        network,
        HEADER + f"C01,{DAY1},{DAY2},90,2026-03-01T18:00/{DAY2}\n"
        f"C02,{DAY1},{DAY2},95,2026-03-01T10:00/2026-03-01T13:00\n",
    )
    db.session.commit()
    assert execute(JOBS["cameras.offline_alerts"], now=JOB_NOW).done == 1
    mails = outbox()
    assert {mail.recipient for mail in mails} == {officers[0].email, "kees@example.nl", "beheer@example.nl"}
    assert all("C01" in mail.subject and "C02" not in mail.text_body for mail in mails)
    assert all("Camera C01 (Camerasysteem Lage Weide) is offline sinds" in mail.text_body for mail in mails)
    assert all("offline sinds 1 maart 2026 om " in mail.text_body for mail in mails)  # the day in words
    assert all(f"/parken/{network.park_id}/cameras/gezondheid/" in mail.text_body for mail in mails)
    # urgent: a mail at once, not a line in a digest
    assert _notifications(db) == []
    # a rerun, and a later one, send nothing new
    assert execute(JOBS["cameras.offline_alerts"], now=JOB_NOW + timedelta(minutes=15)).done == 0
    assert execute(JOBS["cameras.offline_alerts"], now=JOB_NOW + timedelta(hours=5)).done == 0
    assert len(outbox()) == 3


def test_an_outage_just_opened_alerts_only_after_the_threshold(db, network, cameras, officers, outbox):
    run_import(officers[0], network, HEADER + f"C01,{DAY1},{DAY2},99,2026-03-01T22:00/{DAY2}\n")
    db.session.commit()
    start = utc("2026-03-01T22:00")
    assert execute(JOBS["cameras.offline_alerts"], now=start + timedelta(hours=3, minutes=59)).done == 0
    assert outbox() == []
    assert execute(JOBS["cameras.offline_alerts"], now=start + timedelta(hours=4)).done == 1


def test_a_long_outage_that_has_ended_sends_no_mail(db, network, cameras, officers, outbox):
    # twelve hours offline, but back online by the time the job looks: nobody needs to go out for it
    run_import(officers[0], network, HEADER + f"C01,{DAY1},{DAY2},50,2026-03-01T01:00/2026-03-01T13:00\n")
    db.session.commit()
    assert health.long_outages(JOB_NOW) == []
    assert execute(JOBS["cameras.offline_alerts"], now=JOB_NOW).done == 0
    assert outbox() == []


def test_a_camera_back_online_when_the_job_sends_gets_no_mail(db, network, cameras, officers, outbox):
    run_import(officers[0], network, HEADER + f"C01,{DAY1},{DAY2},90,2026-03-01T18:00/{DAY2}\n")
    db.session.commit()
    (outage,) = health.long_outages(JOB_NOW)
    # the next report arrives between finding the outage and sending: C01 was back at 01:00
    run_import(officers[0], network, HEADER + f"C01,{DAY2},{DAY3},98,{DAY2}/2026-03-02T01:00\n")
    db.session.commit()
    assert jobs.alert_offline(outage, now=JOB_NOW) is False
    assert outbox() == []


def test_a_removed_camera_gets_no_mail(db, network, cameras, officers, outbox):
    run_import(officers[0], network, HEADER + f"C01,{DAY1},{DAY2},90,2026-03-01T18:00/{DAY2}\n")
    networks.set_camera_status(officers[0], cameras[0], CameraStatus.REMOVED, today=JOB_NOW.date())
    db.session.commit()
    assert execute(JOBS["cameras.offline_alerts"], now=JOB_NOW).done == 1  # handled: looked at, nothing to send
    assert outbox() == []


def test_the_import_columns_and_messages_follow_the_language(app, db, network, cameras, camera_officer):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask_babel import force_locale

        with force_locale("en"):
            assert dict(health.HEADERS) == {
                "camera": "camera",
                "start": "start",
                "end": "end",
                "uptime": "uptime",
                "gaps": "gaps",
            }
            with pytest.raises(ImportRefused) as refused:
                run_import(camera_officer, network, f"camera,start,end,uptime,gaps\nC01,{DAY2},{DAY1},100,\n")
            assert refused.value.errors == [(2, "The period does not end after it starts (start must be before end).")]
            # an English file is read like a Dutch one
            assert run_import(camera_officer, network, f"camera,start,end,uptime,gaps\nC01,{DAY1},{DAY2},100,\n")
            with pytest.raises(DomainError, match="start, end"):
                run_import(camera_officer, network, "camera,uptime\nC01,100\n")
    assert dict(health.HEADERS)["start"] == "van"


def test_the_health_page_names_the_columns_in_the_users_language(login_as, db, park, network, cameras, camera_officer):
    camera_officer.locale = "en"
    db.session.commit()
    page = login_as(camera_officer).get(f"/parken/{park.id}/cameras/gezondheid/").text
    assert "with the columns camera (the code), start and end" in page and "gaps (zero or more" in page
    assert "onderbrekingen" not in page and " van " not in page


def test_the_alerts_arrive_each_in_the_recipients_language(app, db, network, cameras, officers, smtp_server):  # noqa: F811
    run_import(officers[0], network, HEADER + f"C01,{DAY1},{DAY2},90,2026-03-01T18:00/{DAY2}\n")
    officers[1].locale = "en"
    db.session.commit()
    assert execute(JOBS["cameras.offline_alerts"], now=JOB_NOW).done == 1
    assert deliver_due(JOB_NOW + timedelta(minutes=1)) == 3
    messages = {message["To"]: message for message in smtp_server.inbox.messages}
    operator = messages["beheer@example.nl"].get_body(("plain",)).get_content()
    assert "Beste beheerder van Camerasysteem Lage Weide" in operator
    assert "Camera C01 (Camerasysteem Lage Weide) is offline sinds" in operator
    officer = messages[officers[0].email].get_body(("plain",)).get_content()
    assert "Beste Carla Camera," in officer and f"/parken/{network.park_id}/cameras/gezondheid/" in officer
    english = messages["kees@example.nl"]
    assert english["Subject"] == "Camera C01 of Lage Weide has been offline for a long time"
    assert "Camera C01 (Camerasysteem Lage Weide) has been offline since" in english.get_body(("plain",)).get_content()
