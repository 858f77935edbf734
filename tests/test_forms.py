import pytest
from flask import render_template_string
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import StringField

from app.errors import DomainError
from app.extensions import db as _db
from app.forms import Form, submit
from app.stakeholders.models import Organisation, OrganisationType


def test_submit_commits_the_service_call(app, db):
    with app.test_request_context(method="POST"):
        form = Form(meta={"csrf": False})
        outcome = submit(form, lambda: _db.session.add(Organisation(name="Politie", type=OrganisationType.POLITIE)))
    assert outcome.ok
    assert db.session.scalar(select(Organisation.name)) == "Politie"


def test_submit_shows_a_domain_error_and_writes_nothing(app, db):
    def half_done():
        _db.session.add(Organisation(name="Half", type=OrganisationType.OVERIG))
        _db.session.flush()
        raise DomainError("Dat mag niet.")

    with app.test_request_context(method="POST"):
        form = Form(meta={"csrf": False})
        outcome = submit(form, half_done)
        assert form.form_errors == ["Dat mag niet."]
    assert not outcome.ok
    assert db.session.scalars(select(Organisation)).all() == []


def test_a_failed_commit_is_undone_outside_the_database_and_raised(app, db, monkeypatch):
    undone = []

    def failing_commit():
        raise RuntimeError("database gone")

    with app.test_request_context(method="POST"):
        form = Form(meta={"csrf": False})
        monkeypatch.setattr(_db.session, "commit", failing_commit)
        with pytest.raises(RuntimeError):
            submit(form, lambda: "stored-file", undo=undone.append)
    assert undone == ["stored-file"]


def test_a_field_shows_its_help_text_as_text_also_where_it_holds_angle_brackets(app):
    """A lazy translation counts as safe HTML in Jinja: the example address would vanish as a tag."""

    class InviteeForm(Form):
        invitees = StringField(_l("Genodigden"), description=_l("Bijvoorbeeld Kees van Hal <kees@vanhal.nl>."))

    with app.test_request_context():
        html = render_template_string(
            '{% from "_macros/forms.html" import field %}{{ field(form.invitees) }}',
            form=InviteeForm(meta={"csrf": False}),
        )
    assert "Bijvoorbeeld Kees van Hal &lt;kees@vanhal.nl&gt;." in html
