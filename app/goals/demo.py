"""Demo goals: those of the park whose plan is adopted, with a baseline and latest value from their sources."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.clock import local_today
from app.extensions import db
from app.goals.services import indicator_value
from app.parks.models import Park
from app.plans.models import (
    Direction,
    Goal,
    GoalSource,
    Theme,
)

#: goals of a park's cycle: (theme, title, indicator, source, reference, unit, direction, (baseline, where from),
#: target, latest); a baseline None is read from the source, else the source gives the latest value
DEMO_GOALS = {
    "Cartesiusweg": [
        (
            Theme.SCHOON,
            "Minder afvaldumpingen",
            "Aantal MOR-meldingen van afvaldumping per jaar",
            GoalSource.FIGURE,
            "mor:afvaldumping",
            "meldingen",
            Direction.DOWN,
            (9, "Meldingen openbare ruimte (MOR), Afvaldumping, 2024"),
            4,
            None,
        ),
        (
            Theme.HEEL,
            "Verlichting op orde",
            "Deel van de lantaarnpalen dat bij de schouw niet brandt",
            GoalSource.MANUAL,
            "",
            "%",
            Direction.DOWN,
            (15, "Schouw in het donker, begin van de cyclus"),
            2,
            6,
        ),
        (
            Theme.VEILIG,
            "Minder inbraken in bedrijfspanden",
            "Door de politie geregistreerde inbraken per jaar",
            GoalSource.FIGURE,
            "politie:inbraak_bedrijf",
            "inbraken",
            Direction.DOWN,
            (5, "Politie, Inbraak in bedrijfspand, 2024"),
            2,
            None,
        ),
        (
            Theme.VEILIG,
            "Veiliger gevoel na donker",
            "Deel van de ondernemers dat zich na donker (zeer) veilig voelt",
            GoalSource.SURVEY,
            "safe_dark:4,5",
            "%",
            Direction.UP,
            None,
            60,
            None,
        ),
        (
            Theme.MELDINGSBEREIDHEID,
            "Ondernemers weten waar ze melden",
            "Deel van de ondernemers dat weet waar ze verdachte situaties melden",
            GoalSource.SURVEY,
            "know_where:true",
            "%",
            Direction.UP,
            None,
            80,
            None,
        ),
    ],
}


def seed_demo(parks: dict[str, Park]) -> None:
    """Give the active cycle of each park of DEMO_GOALS its goals; a baseline or latest value the goal's source
    gives is read from it. A cycle that has goals is left as it is."""
    today = local_today()
    for name, rows in DEMO_GOALS.items():
        cycle = parks[name].cycles[-1]
        if db.session.scalar(select(Goal.id).where(Goal.cycle_id == cycle.id).limit(1)) is not None:
            continue
        for theme, title, indicator, source, ref, unit, direction, baseline, target, latest in rows:
            goal = Goal(
                cycle=cycle,
                theme=theme,
                title=title,
                indicator=indicator,
                source=source,
                source_ref=ref,
                unit=unit,
                direction=direction,
                baseline=baseline[0] if baseline else None,
                baseline_note=baseline[1] if baseline else "",
                target=target,
                deadline=cycle.ends_on,
                latest_value=latest,
                latest_on=today - timedelta(days=14) if latest is not None else None,
            )
            db.session.add(goal)
            db.session.flush()
            reading = indicator_value(goal, today=today)
            if reading is not None and baseline is None:
                goal.baseline, goal.baseline_note = reading.value, reading.note
            elif reading is not None:
                goal.latest_value, goal.latest_on = reading.value, reading.on
