"""Fault: the scheduler process is killed (SIGKILL) in the middle of delivering the outbox, and started again.

Queues MAILS mails in a fresh database, starts the scheduler (`flask --app app jobs run`, production settings)
sending to a local, slow SMTP server that counts what it accepts, and kills the scheduler with SIGKILL once a
third of the mails have arrived: no shutdown, no rollback, a claim left behind. The mail that was being sent
keeps its claim (SENDING) until its lease lapses (MAIL_SEND_LEASE, 10 minutes); the script lets that time pass
by moving the lease into the past, as an operator waiting would see it, then starts the scheduler again and
waits for its next run (the delivery job runs every minute). It proves that every mail arrives exactly once
and ends up sent.

    .venv/bin/python bench/fault_scheduler_kill.py [--mails 150] [--smtp-delay 0.03]

The known limit (see the result's `window`): the outbox sends at least once. Had the kill fallen between the
SMTP server accepting the mail and the scheduler committing "sent", that one mail would go out again after the
lease; the script reports it as a duplicate and exits 1. The database is BENCH_LOAD_DATABASE_URL (default
.../bench_load); it is emptied first. Writes bench/results/fault_scheduler_kill.json.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from _common import FLASK, ROOT, report
from _server import SmtpServer, database_url, mail_env, mail_states, mail_verdict, queue_mails, uptime

LOG = Path("/tmp/vb-bench-scheduler.log")  # noqa: S108 - a scratch file of ours
FIRST_RUN_WITHIN = 90  # seconds: the delivery job runs a minute after the scheduler starts


def start_scheduler(env: dict[str, str]) -> subprocess.Popen:
    log = LOG.open("a")
    return subprocess.Popen([str(FLASK), "--app", "app", "jobs", "run"], cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what} after {seconds} s (see {LOG})")
        time.sleep(0.05)


def lapse_claims(url: str) -> int:
    """Move the claims of mails left SENDING into the past: what the lease does after MAIL_SEND_LEASE."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        moved = connection.execute(
            text("UPDATE outbox_mails SET locked_until = now() - interval '1 second' WHERE status = 'sending'")
        ).rowcount
    engine.dispose()
    return moved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=150)
    parser.add_argument("--smtp-delay", type=float, default=0.03, help="seconds the SMTP server takes per mail")
    args = parser.parse_args()
    url = database_url()
    subjects = queue_mails(url, args.mails, f"kill{int(time.time())}")
    smtp = SmtpServer(delay=args.smtp_delay)
    smtp.start()
    env = mail_env(url, smtp.port)
    LOG.write_text("")
    try:
        scheduler = start_scheduler(env)
        wait_for(lambda: smtp.received.total() >= args.mails // 3, FIRST_RUN_WITHIN, "the first third of the mails")
        scheduler.send_signal(signal.SIGKILL)
        scheduler.wait(timeout=10)
        arrived_at_kill = smtp.received.total()
        states_at_kill = mail_states(url)
        claims_lapsed = lapse_claims(url)
        print(f"killed after {arrived_at_kill} mails; outbox {dict(states_at_kill)}; {claims_lapsed} claim(s) left")
        scheduler = start_scheduler(env)
        try:
            wait_for(lambda: mail_states(url).get("sent", 0) == args.mails, FIRST_RUN_WITHIN + 30, "every mail sent")
            time.sleep(1)  # a mail sent twice would have arrived by now
        finally:
            scheduler.send_signal(signal.SIGTERM)
            scheduler.wait(timeout=30)
    finally:
        smtp.stop()
    figures, failures = mail_verdict(subjects, smtp.received, mail_states(url))
    print(figures)
    report(
        "fault_scheduler_kill",
        {
            "database": url.split(":")[0],
            "uptime": uptime(),
            "smtp_seconds_per_mail": args.smtp_delay,
            "arrived_before_the_kill": arrived_at_kill,
            "outbox_at_the_kill": dict(states_at_kill),
            "claims_left_by_the_killed_process": claims_lapsed,
            # the killed run's row is marked "abandoned" by the restarted scheduler when it takes the lease
            "job_runs": dict(mail_states(url, "job_runs")),
            **figures,
            "window": "at least once: a kill between the SMTP server's 250 and the commit of 'sent' would send "
            "that one mail again after its lease",
        },
        failures,
    )


if __name__ == "__main__":
    main()
