"""The mail preview: any mail an area is about to send, rendered for a sample recipient without sending it."""

from __future__ import annotations

from flask import render_template

from app.mail.services import Draft, render_draft


def preview_page(draft: Draft | None, *, title: str, back_url: str, missing: str = ""):
    """The preview page of `draft` (what `queue_draft` would send, nothing is written), or, without a draft,
    `missing`: why there is no recipient to show it for yet. The view checks that the user may send the mail."""
    return render_template(
        "mail/preview.html",
        mail=render_draft(draft) if draft is not None else None,
        title=title,
        back_url=back_url,
        missing=missing,
    )
