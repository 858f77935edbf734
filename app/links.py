"""Links on this site for someone else to open (mails, PDFs, addresses to pass on), built from BASE_URL.

Never from the request: its Host header is whatever the client sent, and a password-reset mail built from it
would send the link, and its token, to a forged host.
"""

from __future__ import annotations

from flask import current_app


def site_path(endpoint: str, **values: object) -> str:
    """The path of `endpoint` on this site (values it does not take go into the query string), in a request or
    outside one: a job has no request, and a request's own host and script root are not to be trusted."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def base_url() -> str:
    """BASE_URL without a trailing slash: a stored site path appended to it is an absolute link."""
    return current_app.config["BASE_URL"].rstrip("/")


def external_url(endpoint: str, **values: object) -> str:
    """The absolute link to `endpoint` on BASE_URL, in a request or outside one."""
    return base_url() + site_path(endpoint, **values)
