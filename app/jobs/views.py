from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from app.auth.decorators import requires
from app.db import utcnow
from app.extensions import db
from app.jobs.leases import current_holder
from app.jobs.models import JobRun
from app.jobs.queries import job_overview
from app.jobs.registry import JOBS
from app.pages import page_number

bp = Blueprint("jobs", __name__, url_prefix="/beheer/taken")
PER_PAGE = 50


@bp.route("/")
@requires("admin.manage")
def index():
    return render_template("jobs/index.html", jobs=job_overview(), leader=current_holder(now=utcnow()))


@bp.route("/<name>")
@requires("admin.manage")
def detail(name: str):
    job = JOBS.get(name)
    if job is None:
        abort(404)
    query = select(JobRun).where(JobRun.job == name).order_by(JobRun.started_at.desc(), JobRun.id.desc())
    page = db.paginate(query, page=page_number(), per_page=PER_PAGE, error_out=False)
    return render_template("jobs/detail.html", job=job, page=page)
