"""What the camera pages share: importing an uploaded file with the rows the service refused, and the confirmation
a destructive button asks first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import render_template, request

from app.cameras import networks
from app.cameras.forms import CameraImportForm
from app.forms import Outcome, submit
from app.parks.models import Park

T = TypeVar("T")


def submit_file(form: CameraImportForm, call: Callable[[str, bytes], T]) -> tuple[Outcome, list[tuple[int, str]]]:
    """Run an all-or-nothing import of the uploaded file (`call(filename, data)`) as `submit` does; the rows the
    service refuses (`networks.ImportRefused`) come back for the page, which lists them."""
    upload = form.file.data
    data = upload.read() if upload else b""
    filename = (upload.filename if upload else "") or ""
    row_errors: list[tuple[int, str]] = []

    def run() -> T:
        try:
            return call(filename, data)
        except networks.ImportRefused as refused:
            row_errors.extend(refused.errors)
            raise

    return submit(form, run, field=form.file), row_errors


def confirmed() -> bool:
    """Whether a destructive button's post carries the confirmation (`confirm_page`'s second post)."""
    return request.form.get("confirmed") == "1"


def confirm_page(park: Park, *, heading: str, question: str, consequence: str, confirm_label: str, **page: Any):
    """The page a destructive one-click button answers first: what will happen, and the same post again with
    `confirmed=1` (`page` gives `action`, the hidden `fields` and `cancel_url`). Nothing is changed yet."""
    return render_template(
        "cameras/confirm.html",
        park=park,
        heading=heading,
        question=question,
        consequence=consequence,
        confirm_label=confirm_label,
        **page,
    )
