"""Throughput: how long a large queue of invitations takes to go out through the delivery job.

Queues MAILS mails in a fresh PostgreSQL database (as `survey invitations` queue them: one outbox row each) and
delivers them with the scheduler's delivery job (`flask --app app jobs run-once mail.deliver`, production settings,
one process per run, run after run) to a local SMTP server (aiosmtpd, in this process) that counts what it
accepts and the connections it was greeted on. Checks that every mail arrived exactly once and is marked sent.

    .venv/bin/python bench/mail_throughput.py [--mails 100000] [--smtp-delay 0] [--minutes 0]

With --minutes, it starts no run after that many minutes of delivery and reports what went out until then (the
mails left are reported as `left_queued`, not as lost).

The scheduler runs the job once a minute and a run sends for at most RUN_SECONDS (45 s): `scheduled_minutes` is
how long the queue takes at that pace, from the measured sending rate. The database is BENCH_LOAD_DATABASE_URL
(default .../bench_load); it is emptied first. Writes bench/results/mail_throughput.json.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import time
from collections import Counter
from pathlib import Path

from _common import FLASK, ROOT, report
from _server import SmtpServer, database_url, mail_env, mail_states, mail_verdict, queue_mails, uptime

from app.mail.jobs import RUN_SECONDS

LOG = Path("/tmp/vb-bench-mail-throughput.log")  # noqa: S108 - a scratch file of ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=100_000)
    parser.add_argument("--smtp-delay", type=float, default=0.0, help="seconds the SMTP server takes per mail")
    parser.add_argument("--minutes", type=float, default=0, help="stop starting runs after this long (0: never)")
    args = parser.parse_args()
    url = database_url()
    started = time.monotonic()
    subjects = queue_mails(url, args.mails, f"throughput{int(time.time())}")
    queue_seconds = time.monotonic() - started
    print(f"queued {args.mails} mails in {queue_seconds:.1f} s")
    smtp = SmtpServer(delay=args.smtp_delay)
    smtp.start()
    env = mail_env(url, smtp.port)
    runs = []
    try:
        with LOG.open("w") as log:
            started = time.monotonic()
            stop_at = started + args.minutes * 60 if args.minutes else math.inf
            while mail_states(url).get("queued", 0) and time.monotonic() < stop_at:
                run_started = time.monotonic()
                before = smtp.received.total()
                subprocess.run(  # noqa: S603 - our own command
                    [str(FLASK), "--app", "app", "jobs", "run-once", "mail.deliver"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=log,
                    check=True,
                )
                runs.append((smtp.received.total() - before, time.monotonic() - run_started))
                print(f"run {len(runs)}: {runs[-1][0]} mails in {runs[-1][1]:.1f} s")
            deliver_seconds = time.monotonic() - started
        time.sleep(1)  # a mail sent twice would have arrived by now
    finally:
        smtp.stop()
    states = mail_states(url)
    delivered = states.get("sent", 0)
    # a run cut short by --minutes leaves mails queued: the verdict is over those sent
    figures, failures = mail_verdict([s for s in subjects if smtp.received[s]], smtp.received, Counter(sent=delivered))
    per_second = delivered / deliver_seconds
    figures |= {
        "database": url.split(":")[0],
        "uptime": uptime(),
        "smtp_seconds_per_mail": args.smtp_delay,
        "queued": args.mails,
        "left_queued": states.get("queued", 0),
        "queue_seconds": round(queue_seconds, 1),
        "deliver_seconds": round(deliver_seconds, 1),
        "mails_per_second": round(per_second, 1),
        "runs": len(runs),
        "smtp_connections": smtp.connections,
        "run_seconds": RUN_SECONDS,
        # the scheduler's pace: one run a minute, each sending for at most RUN_SECONDS
        "scheduled_minutes": math.ceil(args.mails / (per_second * RUN_SECONDS)) if runs else 0,
    }
    print(figures)
    if smtp.connections != len(runs):
        failures.append(f"{smtp.connections} SMTP connections for {len(runs)} runs: not one per run")
    report("mail_throughput", figures, failures)


if __name__ == "__main__":
    main()
