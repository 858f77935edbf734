"""Dutch calendar time: end dates, due dates and date filters are days in the Netherlands."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Europe/Amsterdam")


def local_today() -> date:
    return datetime.now(LOCAL_TIME).date()
