"""Helpers that many pages share: the page of a list, a safe redirect target, a download's file name.

Views import these from here, never from `app.web`, which registers the views: so no view imports its registrar.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import request


def safe_next_url(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: a login link must not send users elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


MAX_PAGE = 100_000  # beyond this the OFFSET would overflow the database's integer; no list is that long


def page_number() -> int:
    """The `page` query argument, forced into 1..MAX_PAGE so that no value reaches the database raw."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


@dataclass(frozen=True)
class Page:
    """One page of a list, with what `_partials/pagination.html` needs (Flask-SQLAlchemy's pages have the same)."""

    items: list[Any]
    page: int
    pages: int
    total: int

    @classmethod
    def of(cls, items: list[Any], *, total: int, page: int, per_page: int) -> Page:
        """The page `page` of a list of `total` rows, of which `items` are the ones on it."""
        return cls(items, page, max((total + per_page - 1) // per_page, 1), total)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate(items: list[Any], per_page: int) -> Page:
    """The page of `items` (a list in memory) that the `page` query argument asks for (the last one when it asks
    for more)."""
    pages = max((len(items) + per_page - 1) // per_page, 1)
    page = min(page_number(), pages)
    return Page(items[(page - 1) * per_page : page * per_page], page, pages, len(items))


def file_slug(name: str) -> str:
    """A name as the ASCII letters, digits and hyphens of a download's file name ("park" when nothing is left)."""
    slug = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", slug).strip("-") or "park"
