"""The plan's quarters: Q1 to Q8 of the two-year horizon, mapped onto calendar quarters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

QUARTERS = 8


@dataclass(frozen=True)
class Quarter:
    number: int
    year: int
    #: the calendar quarter, 1-4
    calendar: int
    first_day: date
    last_day: date

    @property
    def calendar_label(self) -> str:
        """ "2027-Q1": the calendar quarter, written the same in Dutch and English."""
        return f"{self.year}-Q{self.calendar}"


def quarter_start(day: date) -> date:
    """The first day of the calendar quarter that holds `day`."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter(starts_on: date, number: int) -> Quarter:
    """Quarter `number` (1-8) of a plan whose first quarter starts on `starts_on` (a quarter's first day)."""
    if not 1 <= number <= QUARTERS:
        raise ValueError(f"a plan has quarters 1 to {QUARTERS}, not {number}")
    months = (starts_on.month - 1) + 3 * (number - 1)
    first = date(starts_on.year + months // 12, months % 12 + 1, 1)
    following = (first.month - 1) + 3
    last = date(first.year + following // 12, following % 12 + 1, 1) - timedelta(days=1)
    return Quarter(number, first.year, (first.month - 1) // 3 + 1, first, last)


def quarters(starts_on: date) -> list[Quarter]:
    return [quarter(starts_on, number) for number in range(1, QUARTERS + 1)]


def number_on(starts_on: date, day: date) -> int | None:
    """The plan quarter that holds `day`, or None before the plan starts or after its two years."""
    months = (day.year - starts_on.year) * 12 + day.month - starts_on.month
    number = months // 3 + 1
    return number if 1 <= number <= QUARTERS else None
