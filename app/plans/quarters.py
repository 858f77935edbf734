"""The plan's quarters: K1 to K8 of the two-year horizon, mapped onto calendar quarters.

One notation everywhere a quarter is printed (pages, PDFs, mails, iCal): the plan quarter with its calendar
quarter beside it, "K3 (1e kw. 2027)" in Dutch and "Q3 (Q1 2027)" in English (`Quarter.label`). `calendar_label`
("2027-Q1") is a key for files, jobs and the API, not text for people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

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

    @property
    def short(self) -> str:
        """ "K3": the plan quarter alone (where the calendar quarter stands beside it already)."""
        return plan_quarter(self.number)

    @property
    def calendar_text(self) -> str:
        """ "1e kw. 2027" (en "Q1 2027"): the calendar quarter in words."""
        return calendar_text(self.year, self.calendar)

    @property
    def label(self) -> str:
        """ "K3 (1e kw. 2027)" (en "Q3 (Q1 2027)"): how a plan quarter is printed everywhere."""
        return _("%(plan)s (%(calendar)s)", plan=self.short, calendar=self.calendar_text)


def plan_quarter(number: int) -> str:
    """ "K3" (en "Q3"): quarter `number` of the plan."""
    return _("K%(n)s", n=number)


def calendar_text(year: int, calendar: int) -> str:
    """ "1e kw. 2027" (en "Q1 2027"): calendar quarter `calendar` (1-4) of `year`."""
    return _("%(n)se kw. %(year)s", n=calendar, year=year)


def label_of_key(number: int, calendar_label: str) -> str:
    """The label of plan quarter `number` whose calendar quarter is stored as `calendar_label` ("2027-Q1", as in
    a plan version's snapshot); a key of another form is shown as it is."""
    year, _sep, calendar = (calendar_label or "").partition("-Q")
    if year.isdigit() and calendar in {"1", "2", "3", "4"}:
        written = calendar_text(int(year), int(calendar))
    else:
        written = calendar_label
    return _("%(plan)s (%(calendar)s)", plan=plan_quarter(number), calendar=written)


def label(starts_on: date, number: int) -> str:
    """ "K3 (1e kw. 2027)": quarter `number` of a plan starting on `starts_on`, as printed everywhere."""
    return quarter(starts_on, number).label


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
