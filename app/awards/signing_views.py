"""The authorised signatory's public signing page: behind their personal link, no account needed."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, render_template, request

from app import ratelimit
from app.awards import services, signing
from app.awards.certificates import award_title
from app.awards.forms import LinkSignForm
from app.awards.models import SigningLink
from app.extensions import db
from app.forms import form_view, render_form, submit

bp = Blueprint("award_signing", __name__, url_prefix="/waardering-tekenen")


@bp.after_request
def private(response):
    # the link is the signatory's key: no shared cache or search engine may keep the page
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _gone(message: str, status: int):
    return render_template("awards/link_gone.html", message=message), status


def _context(link: SigningLink) -> dict:
    park = link.award.cycle.park
    return {
        "park": park,
        "link": link,
        "title": award_title(park),
        "organisation": link.stakeholder.organisation.name,
        "partners": [s.organisation.name for s in link.award.cycle.stakeholders],
        "years": services.valid_years(park),
    }


@bp.route("/<token>", methods=["GET", "POST"])
@form_view
def start(token: str):
    verdict = ratelimit.count("AWARD_SIGNING_LIMIT", request.remote_addr or "")
    if not verdict.allowed:
        page, status = _gone(
            services.too_many_text(ratelimit.minutes_left(verdict)),
            429,
        )
        return page, status, {"Retry-After": str(verdict.reset)}
    link = signing.find_link(token)
    if link is None:
        return _gone(services.unknown_link_text(), 404)
    now = datetime.now(UTC)
    if request.method == "GET":
        try:
            services.open_link(link, now=now)
        except signing.LinkGone as gone:
            db.session.rollback()
            return _gone(gone.message, gone.status_code)
        db.session.commit()
        form = LinkSignForm(prefix="sign")
        form.name.data = link.stakeholder.signatory_name or link.name
        form.function.data = link.stakeholder.signatory_function or link.function
        return render_form("awards/link_sign.html", form, **_context(link))
    refusal = services.link_refusal(link, now=now)
    if refusal is not None:
        return _gone(refusal, 410)
    form = LinkSignForm(formdata=request.form, prefix="sign")
    if form.validate_on_submit():
        signed = submit(
            form,
            lambda: services.sign_by_link(
                link,
                name=form.name.data,
                function=form.function.data,
                confirmed=bool(form.confirmed.data),
                now=now,
                client_ip=request.remote_addr,
            ),
        )
        if signed.ok:
            return render_template(
                "awards/link_signed.html",
                signature=signed.value,
                granted=link.award.awarded_on is not None,
                **_context(link),
            )
    return render_form("awards/link_sign.html", form, **_context(link))
