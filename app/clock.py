"""Dutch calendar time: end dates, due dates and date filters are days in the Netherlands."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Europe/Amsterdam")


def local_today() -> date:
    return datetime.now(LOCAL_TIME).date()


def local_day(moment: datetime) -> date:
    """The day in the Netherlands at a moment (an aware datetime)."""
    return moment.astimezone(LOCAL_TIME).date()


def easter(year: int) -> date:
    """Easter Sunday of `year` (the Gregorian computation of Meeus, Jones and Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * el) // 433
    month = (h + el - 7 * m + 90) // 25
    return date(year, month, (h + el - 7 * m + 33 * month + 19) % 32)


def is_public_holiday(day: date) -> bool:
    """A Dutch public holiday: New Year, Good Friday, Easter, King's Day, Liberation Day, Ascension, Whitsun,
    Christmas; and the days between Christmas and New Year, on which no working group meets either."""
    year = day.year
    king = date(year, 4, 27)
    if king.weekday() == 6:  # King's Day on a Sunday is kept on the Saturday before
        king = date(year, 4, 26)
    fixed = {date(year, 1, 1), king, date(year, 5, 5)}
    moving = {easter(year) + timedelta(days=offset) for offset in (-2, 0, 1, 39, 49, 50)}
    return day in fixed or day in moving or (day.month == 12 and day.day >= 24)


def working_day_from(day: date) -> date:
    """`day`, or the first day after it that is neither a weekend day nor a public holiday."""
    while day.weekday() >= 5 or is_public_holiday(day):
        day += timedelta(days=1)
    return day
