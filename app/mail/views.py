from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.current import current_actor
from app.auth.decorators import load_or_404, requires
from app.extensions import db
from app.mail import services
from app.mail.models import MailStatus, OutboxMail
from app.pages import page_number

bp = Blueprint("mail", __name__, url_prefix="/beheer/e-mail")
PER_PAGE = 50


def bodies_visible() -> bool:
    # Outside production the outbox is where developers read their mails; in production the bodies hold
    # personal links (password resets), so even admins see only who got what, when, and why it failed.
    return current_app.config["MAIL_BACKEND"] != "smtp"


@bp.route("/")
@requires("admin.manage")
def index():
    status = request.args.get("status", "")
    query = select(OutboxMail).order_by(OutboxMail.id.desc())
    if status in {s.value for s in MailStatus}:
        query = query.where(OutboxMail.status == MailStatus(status))
    page = db.paginate(query, page=page_number(), per_page=PER_PAGE, error_out=False)
    return render_template("mail/index.html", page=page, status=status, statuses=list(MailStatus))


@bp.route("/<int:mail_id>")
@requires("admin.manage")
def detail(mail_id: int):
    mail = load_or_404(OutboxMail, mail_id)
    return render_template("mail/detail.html", mail=mail, show_body=bodies_visible())


@bp.route("/<int:mail_id>/opnieuw", methods=["POST"])
@requires("admin.manage")
def retry(mail_id: int):
    mail = load_or_404(OutboxMail, mail_id)
    services.retry(current_actor(), mail)
    db.session.commit()
    flash(_("De e-mail staat weer in de wachtrij."), "success")
    return redirect(url_for("mail.detail", mail_id=mail.id))
