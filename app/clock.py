"""Dutch calendar time: end dates, due dates and date filters are days in the Netherlands."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Europe/Amsterdam")


def local_today() -> date:
    return datetime.now(LOCAL_TIME).date()


def local_day(moment: datetime) -> date:
    """The day in the Netherlands at a moment (an aware datetime)."""
    return moment.astimezone(LOCAL_TIME).date()
