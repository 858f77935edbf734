"""Translation helpers shared by the models."""

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
