"""Translation helpers shared by the models and the templates."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import LazyString


class LabelledEnum(StrEnum):
    """A string enum whose members carry a translated label: `GEMEENTE = "gemeente", _l("Gemeente")`."""

    _label: LazyString

    def __new__(cls, value: str, label: LazyString) -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return str(self._label)


def as_text(value: object) -> object:
    """A lazy translation as the plain text it is, for Jinja's `finalize`: Flask-Babel's LazyString offers
    `__html__`, so autoescaping would take it as safe HTML and a text such as "Kees van Hal <kees@vanhal.nl>"
    would lose its address as a tag. Everything else passes unchanged."""
    return str(value) if isinstance(value, LazyString) else value
