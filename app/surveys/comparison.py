"""The comparison of a survey with the survey of the park's previous cycle: per closed question both cycles'
figures side by side.

Both sides are the k-anonymous aggregates of `results.aggregate` (never raw answers): a question, matrix row or
whole survey held back on either side is held back in the comparison too, so that nothing smaller than k shows
up here that the results page itself would hide.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from app.surveys import results
from app.surveys.models import Survey
from app.surveys.results import QuestionResult, Share, answer_key


@dataclass(frozen=True)
class ComparedRow:
    """One answer option (or matrix row) with its percentage then and now; None where that side has no figure."""

    label: str
    previous: float | None
    current: float | None
    #: fewer than k answered it on either side: no figures
    suppressed: bool = False

    @property
    def change(self) -> float | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def previous_text(self) -> str:
        return results.number(self.previous)

    @property
    def current_text(self) -> str:
        return results.number(self.current)

    @property
    def change_text(self) -> str:
        return results.change_text(self.change)


@dataclass(frozen=True)
class ComparedQuestion:
    name: str
    title: str
    #: respondents who answered it then and now
    previous_answered: int
    current_answered: int
    #: held back on at least one side: no figures are shown
    suppressed: bool = False
    #: a matrix compares the share answering anything but the first column, per row
    matrix: bool = False
    rows: list[ComparedRow] = field(default_factory=list)
    previous_mean: float | None = None
    current_mean: float | None = None

    @property
    def previous_mean_text(self) -> str:
        return results.number(self.previous_mean)

    @property
    def current_mean_text(self) -> str:
        return results.number(self.current_mean)


@dataclass(frozen=True)
class Comparison:
    previous_id: int
    previous_title: str
    previous_cycle: int
    current_cycle: int
    previous_responses: int
    current_responses: int
    k: int
    #: either survey has fewer than k responses: nothing is compared
    suppressed: bool
    questions: list[ComparedQuestion] = field(default_factory=list)


def _share_rows(now: list[Share], before: list[Share]) -> list[ComparedRow]:
    earlier = {answer_key(s.value): s for s in before}
    rows = [
        ComparedRow(
            s.label, earlier[answer_key(s.value)].percent if answer_key(s.value) in earlier else None, s.percent
        )
        for s in now
    ]
    known = {answer_key(s.value) for s in now}
    rows.extend(ComparedRow(s.label, s.percent, None) for s in before if answer_key(s.value) not in known)
    return rows


def _matrix_rows(now: QuestionResult, before: QuestionResult) -> list[ComparedRow]:
    """Per row of the current matrix the share answering anything but the first column, then and now; a row held
    back on either side (fewer than k answered it) is held back, as on the results page."""
    earlier = {r.value: r for r in before.rows}
    rows = []
    for row in now.rows:
        old = earlier.get(row.value)
        if row.suppressed or (old is not None and old.suppressed):
            rows.append(ComparedRow(row.label, None, None, suppressed=True))
            continue
        rows.append(ComparedRow(row.label, old.any.percent if old is not None else None, row.any.percent))
    return rows


def _question(now: QuestionResult, before: QuestionResult) -> ComparedQuestion:
    base = ComparedQuestion(now.name, now.title, before.answered, now.answered, matrix=now.matrix)
    if now.suppressed or before.suppressed:
        return replace(base, suppressed=True)
    rows = _matrix_rows(now, before) if now.matrix else _share_rows(now.shares, before.shares)
    return replace(base, rows=rows, previous_mean=before.mean, current_mean=now.mean)


def compare(current: Survey, previous: Survey) -> Comparison:
    """Both surveys' k-anonymous results per closed question that both asked (same name and type), in the order of
    the current questionnaire. Free-text questions are never compared. When either survey has fewer than k
    responses, `suppressed` is set and no question is compared."""
    now = results.aggregate(current, include_text=False, compare=False)
    before = results.aggregate(previous, include_text=False, compare=False)
    comparison = Comparison(
        previous_id=previous.id,
        previous_title=previous.title,
        previous_cycle=previous.cycle.number,
        current_cycle=current.cycle.number,
        previous_responses=before.responses,
        current_responses=now.responses,
        k=now.k,
        suppressed=now.suppressed or before.suppressed,
    )
    if comparison.suppressed:
        return comparison
    earlier = {q.name: q for q in before.questions}
    questions = [
        _question(q, earlier[q.name])
        for q in now.questions
        if not q.free_text and q.name in earlier and earlier[q.name].type == q.type
    ]
    return replace(comparison, questions=questions)
