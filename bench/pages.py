"""Benchmark: the pages at national scale, on data from `flask --app app bench-data`.

Generates (or with --reuse takes) two data sets, 400 and 4,000 parks, each in a database of its own. On both it
counts the SQL statements of each page; on the large one it times each page with a single client through the
WSGI app (no network): the city overview and the plans' tracking (as the municipality officer of the largest
municipality, a tenth of the parks, and as an admin who sees every park), the overdue actions, a park page, the
action matrix, a survey submission through the public link, and the city dashboard (officer and admin) with its
XLSX export (officer; the admin's, every park of the country, is a download of seconds, timed apart). Last, the
peak memory of this process, the worker that served it all. `--only dashboard` measures only the pages whose label
holds that word (figures to bench/results/pages-...-dashboard.json).

    .venv/bin/python bench/pages.py [--parks 4000] [--small 400] [--requests 100] [--database-url URL] [--reuse]
                                    [--only LABEL]

Targets: p95 under 150 ms for each page; no more statements per page at the large size than at the small.
Exits 1 when one is missed; the figures go to bench/results/pages[-postgresql][-gc-freeze].json.
"""

from __future__ import annotations

import argparse
import gc
import json
import random

from _common import (
    add_database_options,
    counting,
    logged_in,
    make_app,
    national_data,
    peak_memory_mb,
    public_proofs,
    report,
    result_name,
    summary,
    timed,
)

TARGET_MS = 150


def _subjects(app) -> dict:
    """The accounts, the park (the officer's first) and its open survey's public link, from the generated data."""
    from sqlalchemy import select

    from app import benchdata
    from app.auth.models import User
    from app.extensions import db
    from app.parks.models import Park
    from app.surveys.models import Survey, SurveyStatus

    with app.app_context():
        users = {
            label: db.session.scalar(select(User.session_key).where(User.email == email))
            for label, email in (
                ("officer", benchdata.OFFICER_EMAIL),
                ("admin", benchdata.ADMIN_EMAIL),
                ("advisor", benchdata.ADVISOR_EMAIL),
            )
        }
        officer = db.session.scalar(select(User).where(User.email == benchdata.OFFICER_EMAIL))
        park_id = db.session.scalar(
            select(Park.id).where(Park.municipality_id == officer.memberships[0].municipality_id).order_by(Park.id)
        )
        token = db.session.scalar(
            select(Survey.public_token).where(Survey.park_id == park_id, Survey.status == SurveyStatus.OPEN)
        )
    return {"users": users, "park_id": park_id, "token": token}


def _pages(subjects: dict) -> list[tuple[str, str | None, str]]:
    """(label, user, path) per page; user None: the anonymous survey submission (POST)."""
    park = f"/parken/{subjects['park_id']}"
    return [
        ("home page (advisor, 60 parks)", "advisor", "/"),
        ("home page (officer)", "officer", "/"),
        ("city overview (officer)", "officer", "/parken/"),
        ("city overview (admin, all parks)", "admin", "/parken/"),
        ("plans tracking (officer)", "officer", "/voortgang/"),
        ("plans tracking (admin, all parks)", "admin", "/voortgang/"),
        ("overdue actions (officer)", "officer", "/voortgang/achterstallig"),
        ("overdue actions (admin, all parks)", "admin", "/voortgang/achterstallig"),
        ("park page (officer)", "officer", park),
        ("action matrix (officer)", "officer", f"{park}/plan/matrix"),
        ("survey submission (public link)", None, f"/enquete/open/{subjects['token']}/antwoorden"),
        ("dashboard (officer)", "officer", "/dashboard/"),
        ("dashboard (admin, all parks)", "admin", "/dashboard/"),
        ("dashboard XLSX (officer)", "officer", "/dashboard/dashboard.xlsx"),
    ]


def _requester(app, subjects: dict, user: str | None, path: str, times: int):
    """A function that makes the request (at most `times` times) and checks its status."""
    if user is None:
        from app.surveys.definition import load_default
        from app.surveys.sample import sample_answers

        client, rng, definition = app.test_client(), random.Random(7), load_default()  # noqa: S311
        proofs = iter(public_proofs(app, subjects["token"], times))  # made beforehand: the page's work, not ours

        def post() -> None:
            body = json.dumps({"answers": sample_answers(definition, rng), "contact": None, "proof": next(proofs)})
            response = client.post(path, data=body, content_type="application/json")
            assert response.status_code == 201, (path, response.status_code, response.data)

        return post
    client = logged_in(app, subjects["users"][user])

    def get() -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    return get


def measure(url: str, *, requests: int, freeze: bool, only: str = "") -> dict[str, dict]:
    """Per page: its statements and, when `requests`, its timings. `freeze`: move the loaded app's objects out of
    the garbage collector's reach first, as a gunicorn worker can (`gc.freeze()` in post_worker_init). `only`: the
    pages whose label contains it."""
    from app.extensions import db

    app = make_app(url)
    subjects = _subjects(app)
    if freeze:
        gc.freeze()
    with app.app_context():
        engine = db.engine
    figures = {}
    for label, user, path in _pages(subjects):
        if only not in label:
            continue
        request = _requester(app, subjects, user, path, times=requests + 2)
        request()  # warm up: templates, the user's memberships
        with counting(engine) as statements:
            request()
        figures[label] = {"statements": len(statements)}
        if requests:
            figures[label] |= summary(timed(request, requests))
    with app.app_context():
        db.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parks", type=int, default=4_000)
    parser.add_argument("--small", type=int, default=400, help="the second size, to compare statements with")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--gc-freeze", action="store_true", help="gc.freeze() once the app is loaded")
    parser.add_argument("--only", default="", help="only the pages whose label contains this (e.g. dashboard)")
    add_database_options(parser)
    args = parser.parse_args()
    from app.pages import file_slug

    small_url, small_seconds = national_data(args.database_url, args.small, reuse=args.reuse)
    large_url, large_seconds = national_data(args.database_url, args.parks, reuse=args.reuse)
    small = measure(small_url, requests=0, freeze=False, only=args.only)
    large = measure(large_url, requests=args.requests, freeze=args.gc_freeze, only=args.only)
    print(
        f"{args.parks} parks, {args.requests} requests per page, single client{', gc.freeze()' * args.gc_freeze}; "
        f"statements at {args.small} parks"
    )
    print(f"{'page':36} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'stmts':>6} {'@small':>6}")
    misses = []
    for label, row in large.items():
        row["statements_small"] = small[label]["statements"]
        print(
            f"{label:36} {row['p50_ms']:7.1f} {row['p95_ms']:7.1f} {row['max_ms']:7.1f} "
            f"{row['statements']:6} {row['statements_small']:6}"
        )
        if row["p95_ms"] >= TARGET_MS:
            misses.append(f"{label}: p95 {row['p95_ms']} ms (target < {TARGET_MS} ms)")
        # more parks must not mean more statements; the admin's overview has one fewer beyond a city's parks,
        # where it leaves the camera pins out (app/parks/views.py CAMERA_MAP_MAX_PARKS)
        if row["statements"] > row["statements_small"]:
            misses.append(f"{label}: {row['statements_small']} statements at {args.small} parks, {row['statements']}")
    memory = peak_memory_mb()
    print(f"peak memory of this worker: {memory} MB")
    generated = {args.small: small_seconds, args.parks: large_seconds}
    for parks, seconds in generated.items():
        if seconds is not None:
            print(f"generated {parks} parks (with `flask bench-data`) in {seconds:.0f} s")
    report(
        result_name(
            ("pages-gc-freeze" if args.gc_freeze else "pages") + (f"-{file_slug(args.only)}" if args.only else ""),
            large_url,
        ),
        {
            "parks": args.parks,
            "small_parks": args.small,
            "requests_per_page": args.requests,
            "gc_freeze": args.gc_freeze,
            "generation_seconds": {str(k): round(v, 1) for k, v in generated.items() if v is not None},
            "peak_memory_mb": memory,
            "pages": large,
        },
        misses,
    )


if __name__ == "__main__":
    main()
