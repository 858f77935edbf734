"""What the camera pages share: importing an uploaded file with the rows the service refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from app.cameras import networks
from app.cameras.forms import CameraImportForm
from app.forms import Outcome, submit

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
