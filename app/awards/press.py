"""The press release draft of an award, written from a Dutch template (the press is Dutch whatever the reader's
language): park, municipality, partners, goals per theme and the ceremony date."""

from __future__ import annotations

from flask_babel import force_locale, format_date

from app.awards.certificates import award_title
from app.awards.models import Award
from app.goals.services import goals_by_theme, value_text
from app.parks.models import Cycle

TEMPLATE = """\
{title} voor bedrijventerrein {park}

{municipality} - Bedrijventerrein {park} heeft {ceremony} de {title} ontvangen. \
Ondernemers, {municipality_name} en hun partners hebben samen een plan gemaakt om het terrein schoon, heel en \
veilig te houden, en hebben dat plan ondertekend.

De partners
Aan de samenwerking doen mee: {partners}.

Wat de partners willen bereiken
{goals}

Hoe verder
De werkgroep van ondernemers en partners komt elk kwartaal bij elkaar om de voortgang te bespreken. \
De waardering is geldig tot en met {valid_until}; daarna beoordelen de partners samen opnieuw wat er nodig is.

Noot voor de redactie (niet voor publicatie)
Meer informatie: {municipality_name}.
"""


def _list(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def draft_press_release(cycle: Cycle, award: Award | None = None) -> str:
    """The press release as the template writes it for the cycle and its award, if any (a starting point the
    advisor edits; what is not known yet stands as [placeholder])."""
    park = cycle.park
    ceremony_on = award.ceremony_on if award is not None else None
    valid_until = award.valid_until if award is not None else None
    with force_locale("nl"):
        ceremony = f"op {format_date(ceremony_on, 'long')}" if ceremony_on else "op [datum uitreiking]"
        until = format_date(valid_until, "long") if valid_until else "[datum]"
        goal_lines = []
        for theme, goals in goals_by_theme(cycle):
            for goal in goals:
                goal_lines.append(
                    f"- {theme.label}: {goal.title} (van {value_text(goal.baseline, goal.unit)} "
                    f"naar {value_text(goal.target, goal.unit)} in {format_date(goal.deadline, 'MMMM yyyy')})"
                )
        return TEMPLATE.format(
            title=award_title(park),
            park=park.name,
            municipality=park.municipality.name.removeprefix("Gemeente ").strip() or park.municipality.name,
            municipality_name=park.municipality.name,
            ceremony=ceremony,
            partners=_list([s.organisation.name for s in cycle.stakeholders]) or "[partners]",
            goals="\n".join(goal_lines) or "- [doelen per thema]",
            valid_until=until,
        )
