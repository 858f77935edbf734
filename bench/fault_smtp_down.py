"""Fault: the SMTP server is down when the outbox is delivered; no mail is lost and none goes out twice.

Queues MAILS mails in a fresh database and runs the delivery job (`flask --app app jobs run-once mail.deliver`,
the scheduler's own code path, production settings) three times against a local SMTP port:

1. the server is down (connection refused): every mail stays in the outbox, queued, with its error and a next
   attempt after the back-off (MAIL_RETRY_FIRST_DELAY, a minute), none marked failed;
2. the server is back, at once: nothing is due yet, nothing is sent (the back-off holds);
3. after the back-off: every mail arrives, exactly once, and is marked sent.

    .venv/bin/python bench/fault_smtp_down.py [--mails 100]

The database is BENCH_LOAD_DATABASE_URL (default .../bench_load); it is emptied first. Takes a little over a
minute (the back-off). Writes bench/results/fault_smtp_down.json; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import subprocess
import time

from _common import FLASK, ROOT, report
from _server import SmtpServer, database_url, mail_env, mail_states, mail_verdict, queue_mails, uptime

BACK_OFF = 60  # seconds: MAIL_RETRY_FIRST_DELAY


def deliver(env: dict[str, str]) -> str:
    """One run of the delivery job; its summary line ("mail.deliver: ok, N done, 0 skipped")."""
    command = [str(FLASK), "--app", "app", "jobs", "run-once", "mail.deliver"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()[-300:]


def errors_kept(url: str) -> int:
    """Queued mails that keep their error and wait for their next attempt."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        kept = connection.execute(
            text(
                "SELECT count(*) FROM outbox_mails WHERE status = 'queued' AND attempts = 1 "
                "AND last_error IS NOT NULL AND next_attempt_at > now()"
            )
        ).scalar()
    engine.dispose()
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=100)
    args = parser.parse_args()
    url = database_url()
    subjects = queue_mails(url, args.mails, f"smtpdown{int(time.time())}")
    smtp = SmtpServer()
    env = mail_env(url, smtp.port)
    failures: list[str] = []

    down_run = deliver(env)
    down_states, down_kept = mail_states(url), errors_kept(url)
    print(f"SMTP down: {down_run}; outbox {dict(down_states)}; {down_kept} keep their error and wait")
    if down_kept != args.mails:
        failures.append(f"with SMTP down {down_kept} of {args.mails} mails were kept queued with their error")
    started = time.monotonic()
    smtp.start()
    try:
        early_run = deliver(env)
        early_received = smtp.received.total()
        print(f"SMTP back, within the back-off: {early_run}; {early_received} arrived")
        if early_received:
            failures.append(f"{early_received} mails were sent again before their back-off")
        time.sleep(max(0.0, BACK_OFF + 2 - (time.monotonic() - started)))
        late_run = deliver(env)
        time.sleep(1)
    finally:
        smtp.stop()
    print(f"SMTP back, after the back-off: {late_run}")
    figures, lost = mail_verdict(subjects, smtp.received, mail_states(url))
    print(figures)
    report(
        "fault_smtp_down",
        {
            "database": url.split(":")[0],
            "uptime": uptime(),
            "run_with_smtp_down": down_run,
            "outbox_after_that_run": dict(down_states),
            "kept_queued_with_error": down_kept,
            "run_within_back_off": early_run,
            "run_after_back_off": late_run,
            **figures,
        },
        failures + lost,
    )


if __name__ == "__main__":
    main()
