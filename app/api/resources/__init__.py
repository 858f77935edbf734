"""The API's resources, one module per resource; see app/api/setup.py for the conventions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from app.extensions import db


def page_of(query: Select, pagination_parameters: Any) -> list[Any]:
    """The rows of `query` on the requested page; sets the item count for the pagination headers.

    A page beyond the last is empty (never an OFFSET the database cannot take)."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pagination_parameters.item_count = total
    offset = pagination_parameters.first_item
    if offset >= total:
        return []
    return list(db.session.scalars(query.offset(offset).limit(pagination_parameters.page_size)))


def page_of_list(items: list[Any], pagination_parameters: Any) -> list[Any]:
    """`page_of` for a list in memory."""
    pagination_parameters.item_count = len(items)
    offset = pagination_parameters.first_item
    return items[offset : offset + pagination_parameters.page_size] if offset < len(items) else []
