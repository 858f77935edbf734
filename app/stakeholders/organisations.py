"""Organisations without an admin: creating one while adding a stakeholder (duplicates found first), merging."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, PrimaryKeyConstraint, Table, UniqueConstraint, and_, func, select, update

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.db import Base
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Cycle, Park
from app.stakeholders.models import Organisation, OrganisationType, Stakeholder

NAME_MAX = 200

#: words that do not tell two organisations apart: legal forms, "stichting", "vereniging", articles
COMMON_WORDS = frozenset(
    {"stichting", "vereniging", "bv", "nv", "vof", "cv", "ua", "de", "het", "t", "the", "en", "and"}
)
#: how alike two normalised names must be (difflib's ratio) to count as similar
SIMILAR_RATIO = 0.85


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """The name as duplicates are compared: lower case, without accents and punctuation, without common words
    (COMMON_WORDS: "Stichting", "Vereniging", "B.V.", articles), single spaces. "Stichting Ondernemers-Kring
    Zuid B.V." and "ondernemerskring zuid" differ only in the hyphen: "ondernemers kring zuid"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[.'`\u2019]", "", text)  # B.V. -> bv
    words = re.sub(r"[^0-9a-z]+", " ", text).split()
    return " ".join(w for w in words if w not in COMMON_WORDS)


@dataclass(frozen=True)
class Match:
    """An existing organisation that looks like the one about to be made, and how much."""

    organisation: Organisation
    #: the normalised names are equal
    exact: bool
    same_type: bool
    ratio: float
    #: the parks where it takes part (at most three names), so that the user can tell it apart
    parks: tuple[str, ...] = ()
    #: it takes part in a park of the municipality asked about (or is that municipality)
    same_municipality: bool = False


def _alike(key: str, other: str) -> float:
    """How alike two normalised names are: 1 when equal, 0.95 when the words of one are all in the other, else
    difflib's ratio (0 below SIMILAR_RATIO)."""
    if key == other:
        return 1.0
    words, other_words = set(key.split()), set(other.split())
    if words and other_words and (words <= other_words or other_words <= words):
        return 0.95
    # the cheap upper bounds first (by length, then by letters): most names are nowhere near, and ratio() is slow
    if 2 * min(len(key), len(other)) < SIMILAR_RATIO * (len(key) + len(other)):
        return 0.0
    matcher = SequenceMatcher(None, key, other, autojunk=False)
    if matcher.quick_ratio() < SIMILAR_RATIO:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= SIMILAR_RATIO else 0.0


#: at most this many look-alikes are weighed by kind and municipality (a very common word matches many)
CANDIDATES = 50


def similar_organisations(
    name: str, type: OrganisationType | None = None, *, municipality: Organisation | None = None, limit: int = 5
) -> list[Match]:
    """The existing organisations whose normalised name (`normalise_name`) equals or resembles that of `name`:
    exact duplicates first, then the same kind (`type`), then those taking part in a park of `municipality` (the
    park's, where known), then the most alike; at most `limit`."""
    key = normalise_name(name)
    if not key:
        return []
    rows = db.session.execute(select(Organisation.id, Organisation.name, Organisation.type)).all()
    scored = [(ratio, row) for row in rows if (ratio := _alike(key, normalise_name(row.name)))]
    scored.sort(key=lambda item: -item[0])
    scored = scored[:CANDIDATES]
    if not scored:
        return []
    ids = [row.id for _ratio, row in scored]
    parks: dict[int, list[str]] = {}
    local: set[int] = {municipality.id} if municipality is not None else set()
    for organisation_id, park_name, park_municipality in db.session.execute(
        select(Stakeholder.organisation_id, Park.name, Park.municipality_id)
        .join(Cycle, Cycle.id == Stakeholder.cycle_id)
        .join(Park, Park.id == Cycle.park_id)
        .where(Stakeholder.organisation_id.in_(ids))
        .distinct()
        .order_by(Park.name)
    ):
        if park_name not in parks.setdefault(organisation_id, []):
            parks[organisation_id].append(park_name)
        if municipality is not None and park_municipality == municipality.id:
            local.add(organisation_id)
    scored.sort(
        key=lambda item: (item[0] < 1.0, item[1].type != type, item[1].id not in local, -item[0], item[1].name.lower())
    )
    scored = scored[:limit]
    chosen = [row.id for _ratio, row in scored]
    organisations = {o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(chosen)))}
    return [
        Match(
            organisation=organisations[row.id],
            exact=ratio == 1.0,
            same_type=row.type == type,
            ratio=ratio,
            parks=tuple(parks.get(row.id, [])[:3]),
            same_municipality=row.id in local,
        )
        for ratio, row in scored
    ]


def clean_name(name: str) -> str:
    """The name with its spaces collapsed; refused when empty, too long or without a letter or digit."""
    name = " ".join((name or "").split())
    if not name or not normalise_name(name):
        raise DomainError(_("Vul de naam van de organisatie in."))
    if len(name) > NAME_MAX:
        raise DomainError(_("Een ingevulde tekst is te lang (hoogstens %(n)s tekens).", n=NAME_MAX))
    return name


def ensure_no_duplicate(name: str, type: OrganisationType, *, but: Organisation | None = None) -> None:
    """Refuse a name whose normalised form (`normalise_name`) is that of an existing organisation of the same
    kind (other than `but`, the one being renamed)."""
    for match in similar_organisations(name, type, limit=20):
        if match.exact and match.same_type and match.organisation is not but:
            raise DomainError(duplicate_message(match.organisation))


def duplicate_message(organisation: Organisation) -> str:
    """Why a new organisation with the same normalised name and kind as `organisation` is refused."""
    return _(
        "%(name)s (%(type)s) bestaat al en is dezelfde organisatie. Kies die in de lijst.",
        name=organisation.name,
        type=organisation.type.label,
    )


class SimilarOrganisations(DomainError):
    """Refusal to create an organisation that resembles existing ones until the user says it is different."""

    def __init__(self, matches: list[Match]):
        super().__init__(
            _(
                "Er bestaan al organisaties die erop lijken: %(names)s. Kies er een, of bevestig dat het een andere "
                "organisatie is.",
                names=", ".join(m.organisation.name for m in matches),
            )
        )
        self.matches = matches


def create_organisation(
    actor: User, park: Park, *, name: str, type: OrganisationType, confirmed_different: bool = False
) -> Organisation:
    """Create an organisation while adding a stakeholder to `park` (advisors and the municipality of the park:
    stakeholders.create_organisation; admins use `services.save_organisation`).

    Refused: an empty or too long name, and an exact duplicate (same normalised name and kind). When similar
    organisations exist (`similar_organisations`) it raises SimilarOrganisations, unless the user confirmed
    that this one is different (`confirmed_different`), which the audit row records with the similar ones.
    """
    ensure_can(actor, "stakeholders.create_organisation", park)
    name = clean_name(name)
    ensure_no_duplicate(name, type)
    matches = similar_organisations(name, type, municipality=park.municipality)
    if matches and not confirmed_different:
        raise SimilarOrganisations(matches)
    organisation = Organisation(name=name, type=type)
    db.session.add(organisation)
    audit.record(
        actor,
        "stakeholders.organisation_created",
        organisation,
        park=park,
        details={
            "name": name,
            "type": type.value,
            "confirmed_different_from": [m.organisation.id for m in matches],
        },
    )
    db.session.flush()
    return organisation


# Merging duplicates ------------------------------------------------------------------------------------------

#: what each reference to an organisation is, in words (tests/stakeholders/test_organisations.py checks that every
#: foreign key to organisations has one)
REFERENCE_LABELS = {
    ("users", "organisation_id"): _l("gebruikers die voor de organisatie werken"),
    ("memberships", "municipality_id"): _l("rollen voor alle parken van de gemeente"),
    ("parks", "municipality_id"): _l("parken in de gemeente"),
    ("stakeholders", "organisation_id"): _l("deelnames aan een park"),
    ("camera_networks", "operator_id"): _l("cameranetwerken die zij beheert"),
    ("identity_providers", "municipality_id"): _l("inlogdiensten van de gemeente"),
    ("identity_provider_organisations", "organisation_id"): _l("inlogdiensten waarmee haar mensen inloggen"),
    ("idp_role_rules", "municipality_id"): _l("regels van inlogdiensten die rollen in de gemeente geven"),
    ("two_factor_requirements", "organisation_id"): _l("rollen waarvoor zij tweestapsverificatie verplicht stelt"),
}


def organisation_references() -> list[Column]:
    """Every column of the schema with a foreign key to organisations.id, found in the metadata, so that a new
    one is merged without anyone remembering to add it here."""
    organisations = Organisation.__table__.c.id
    return [
        fk.parent
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if isinstance(fk, ForeignKey) and fk.column is organisations
    ]


def _label(column: Column) -> str:
    return str(REFERENCE_LABELS.get((column.table.name, column.name), f"{column.table.name}.{column.name}"))


def _unique_sets(column: Column) -> Iterable[list[Column]]:
    """The other columns of each unique constraint or index on `column`'s table that includes it."""
    table: Table = column.table
    unique = [c for c in table.constraints if isinstance(c, UniqueConstraint | PrimaryKeyConstraint)]
    for constraint in [*unique, *(i for i in table.indexes if i.unique)]:
        columns = list(constraint.columns)
        if column in columns:
            yield [c for c in columns if c is not column]


def _clashes(column: Column, source: Organisation, target: Organisation) -> int:
    """How many rows pointing at `source` would break a unique constraint once they point at `target`."""
    total = 0
    for others in _unique_sets(column):
        if not others:
            # the column alone is unique: any row on each side clashes
            both = [db.session.scalar(select(func.count()).where(column == o.id)) for o in (source, target)]
            total += min(both)
            continue
        mine, theirs = column.table.alias(), column.table.alias()
        total += db.session.scalar(
            select(func.count())
            .select_from(mine)
            .join(theirs, and_(*(mine.c[c.name] == theirs.c[c.name] for c in others)))
            .where(mine.c[column.name] == source.id, theirs.c[column.name] == target.id)
        )
    return total


@dataclass(frozen=True)
class MergePreview:
    """What merging `source` into `target` would move (label, count) and what stands in its way."""

    source: Organisation
    target: Organisation
    moves: list[tuple[str, int]]
    problems: list[str]


def merge_preview(source: Organisation, target: Organisation) -> MergePreview:
    """Count, per reference (`organisation_references`), the rows that would move from `source` to `target`, and
    name what prevents the merge: the same organisation, another kind, or rows that would clash with the
    target's under a unique rule (both take part in the same cycle, both have a park of the same name)."""
    problems = []
    if source.id == target.id:
        problems.append(_("Een organisatie kan niet met zichzelf worden samengevoegd."))
    elif source.type != target.type:
        problems.append(
            _(
                "%(source)s is van het soort %(stype)s en %(target)s van het soort %(ttype)s. Maak het soort eerst "
                "gelijk.",
                source=source.name,
                stype=source.type.label,
                target=target.name,
                ttype=target.type.label,
            )
        )
    moves = []
    for column in organisation_references():
        count = db.session.scalar(select(func.count()).select_from(column.table).where(column == source.id))
        moves.append((_label(column), count))
        if source.id != target.id and (clashes := _clashes(column, source, target)):
            problems.append(
                _(
                    "%(n)s %(what)s van %(source)s bestaan ook al bij %(target)s (bijvoorbeeld allebei deelnemer in "
                    "dezelfde cyclus). Haal die eerst weg.",
                    n=clashes,
                    what=_label(column),
                    source=source.name,
                    target=target.name,
                )
            )
    return MergePreview(source=source, target=target, moves=moves, problems=problems)


def merge_organisations(actor: User, source: Organisation, *, into: Organisation) -> MergePreview:
    """Merge the duplicate `source` into `into`: every reference to `source` (users, memberships, parks,
    stakeholders, camera networks: `organisation_references`) points at `into` afterwards, and `source` is
    deleted, in the caller's one transaction, with one audit row saying how much moved.

    Admins only (admin.manage). Refused with nothing changed when `merge_preview` names a problem.
    """
    ensure_can(actor, "admin.manage")
    preview = merge_preview(source, into)
    if preview.problems:
        raise DomainError(" ".join(preview.problems))
    db.session.flush()
    columns = organisation_references()
    for column in columns:
        db.session.execute(update(column.table).where(column == source.id).values({column.name: into.id}))
    audit.record(
        actor,
        "stakeholders.organisations_merged",
        into,
        details={
            "merged_id": source.id,
            "merged_name": source.name,
            "moved": {
                f"{c.table.name}.{c.name}": n for c, (_label_, n) in zip(columns, preview.moves, strict=True) if n
            },
        },
    )
    db.session.expire_all()
    db.session.delete(db.session.get(Organisation, source.id))
    db.session.flush()
    return preview
