"""The pages of an import that checks a file through a preview: upload, preview and confirm.

Shared by the company register (`parks.company_views`) and the partner figures (`inventory.figure_views`). The
area's blueprint has the endpoints `index` (where an applied import leads), `import_upload`, `import_preview` and
`import_confirm`; its views load and check what they act on, and call these functions with the area's form,
templates, service calls and what its preview shows of a row. The templates extend
`_partials/import_upload.html` and `_partials/import_preview.html`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.errors import DomainError
from app.extensions import db
from app.forms import Form, render_form, submit
from app.imports import (
    CREATE,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_MB,
    OUTCOME_LABELS,
    OUTCOMES,
    REJECT,
    UNCHANGED,
    UPDATE,
    CheckedImport,
    Row,
    import_counts,
)
from app.pages import paginate
from app.parks.models import Park

PREVIEW_PER_PAGE = 100
# the file plus the multipart envelope; the app-wide MAX_CONTENT_LENGTH is smaller than an import may be
MAX_UPLOAD_REQUEST = MAX_IMPORT_BYTES + 64 * 1024


def upload(form_class: type[Form], template: str, park: Park, *, preview: Callable[[str, bytes], Any], **context: Any):
    """The upload page: the form, and on a valid upload `preview(filename, data)` (the area's service, which
    stores the checked rows) and a redirect to the preview. A request larger than an import may be is refused
    with 413 before its body is read; a file the service refuses is shown on the form (422)."""
    if request.method == "POST":
        request.max_content_length = MAX_UPLOAD_REQUEST
        if (request.content_length or 0) > MAX_UPLOAD_REQUEST:
            # refused before the body is read: a browser sends the size first
            form = form_class(formdata=None)
            form.file.errors = [
                _("Het bestand is groter dan %(mb)s MB. Splits het in kleinere bestanden.", mb=MAX_IMPORT_MB)
            ]
            return render_template(template, form=form, park=park, **context), 413
    form = form_class()
    if form.validate_on_submit():
        uploaded = form.file.data
        data = uploaded.stream.read(MAX_IMPORT_BYTES + 1)
        checked = submit(form, lambda: preview(uploaded.filename or "", data), field=form.file)
        if checked.ok:
            return redirect(url_for(f"{request.blueprint}.import_preview", park_id=park.id, import_id=checked.value.id))
    return render_form(template, form, park=park, **context)


@dataclass(frozen=True)
class Column:
    """A column of the preview's table between the outcome and the note: its header and the key of its value in
    what the area's `row_cells` gives."""

    header: str
    key: str
    numeric: bool = False


def preview(template: str, checked: CheckedImport, *, columns: list[Column], row_cells: Callable[[Row], dict]) -> str:
    """The preview page: the counts per outcome, the confirm button, and the rows (filtered on one outcome with
    `?uitkomst=`, a page at a time). `row_cells(row)` gives the values of `columns` and the row's "note"."""
    outcome = request.args.get("uitkomst")
    if outcome not in OUTCOMES:
        outcome = None
    rows = [row for row in checked.rows if outcome is None or row["outcome"] == outcome]
    page = paginate(rows, PREVIEW_PER_PAGE)
    counts = import_counts(checked.rows)
    return render_template(
        template,
        area=request.blueprint,
        park=checked.park,
        checked=checked,
        counts=counts,
        outcome_labels={key: str(label) for key, label in OUTCOME_LABELS.items()},
        outcome=outcome,
        page=page,
        columns=columns,
        rows=[
            {
                "row": row["row"],
                "outcome": row["outcome"],
                "label": str(OUTCOME_LABELS[row["outcome"]]),
                **row_cells(row),
            }
            for row in page.items
        ],
        changes=counts[CREATE] + counts[UPDATE],
    )


def confirm(checked: CheckedImport, apply: Callable[[], dict[str, int]]):
    """Carry out a checked import with `apply()` (the area's service) and commit; back to the area's index with
    the counts. A refusal is flashed: back to the upload for a stale preview, to the index for an applied one."""
    park = checked.park
    try:
        counts = apply()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        if checked.applied_at is not None:
            return redirect(url_for(f"{request.blueprint}.index", park_id=park.id))
        return redirect(url_for(f"{request.blueprint}.import_upload", park_id=park.id))
    db.session.commit()
    flash(
        _(
            "De import is verwerkt: %(created)s toegevoegd, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd, "
            "%(rejected)s afgewezen.",
            created=counts[CREATE],
            updated=counts[UPDATE],
            unchanged=counts[UNCHANGED],
            rejected=counts[REJECT],
        ),
        "success",
    )
    return redirect(url_for(f"{request.blueprint}.index", park_id=park.id))
