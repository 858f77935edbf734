"""Writes through the API, committed once, and made safe to retry with an Idempotency-Key header
(draft-ietf-httpapi-idempotency-key-header).

The same key with the same request (method, path and body) from the same token within 24 hours gets the first
request's answer again, without writing anything; the same key with another request is a 422; a request still in
progress with the key is a 409. Only successful (2xx) answers are kept. The key and its answer are stored in the
same transaction as the write itself, so that a crash keeps both or neither.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Response, current_app, request
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app.api.access import current_token
from app.api.models import IdempotencyKey
from app.api.problems import problem
from app.extensions import db

HEADER = "Idempotency-Key"
#: how long a key keeps its answer; after that it is free again
LIFETIME = timedelta(hours=24)
MAX_KEY = 255
#: what a Structured Field string (RFC 8941) may hold: printable ASCII
_PRINTABLE = re.compile(r"[\x20-\x7e]+")
#: the answer's headers that belong to its result (the rate limit and caching headers are the new request's own)
KEPT_HEADERS = ("Content-Type", "Location", "Content-Location", "ETag")
#: on a replayed answer
REPLAYED_HEADER = "Idempotent-Replayed"

#: the OpenAPI description of the header, on every write operation
PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": (
        "Makes the write safe to retry (draft-ietf-httpapi-idempotency-key-header): a unique value per request, "
        "such as a UUID, at most 255 printable ASCII characters, bare or as a quoted string. The same key and "
        "body from the same token within 24 hours get the first answer again (with the header "
        "Idempotent-Replayed: true) without writing again; the same key with another body is a 422, and while "
        "the first request is still in progress a 409. Only successful answers are kept."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY + 2, "pattern": "^[ -~]+$"},
}


def parse_key(value: str) -> str | None:
    """The key in the header's value: a Structured Field string (in double quotes, as the draft has it) or, as many
    clients send it, the bare value. None unless it is 1 to 255 printable ASCII characters, not only spaces."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = re.sub(r'\\(["\\])', r"\1", value[1:-1])
    if not value.strip() or len(value) > MAX_KEY or not _PRINTABLE.fullmatch(value):
        return None
    return value


def fingerprint() -> str:
    """SHA-256 of the request's method, path, query and body: what one key may stand for."""
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.query_string, request.get_data()):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _take_turn(token_id: int, key: str) -> bool:
    """Whether this request may go on with `key` now: False while another request with it is in progress.

    On PostgreSQL a transaction-scoped advisory lock on the token and key, tried without waiting. On SQLite the
    first write of a transaction takes the database's write lock until the commit (app.db): `purge_key` is that
    first write, so a second request with the key waits there for the first one and then finds its answer.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(db.session.scalar(select(func.pg_try_advisory_xact_lock(lock_id(token_id, key)))))


def lock_id(token_id: int, key: str) -> int:
    """The advisory lock of a token's key on PostgreSQL (a signed 64-bit number)."""
    return int.from_bytes(hashlib.sha256(f"{token_id}\n{key}".encode()).digest()[:8], "big", signed=True)


def purge_key(token_id: int, key: str, *, now: datetime) -> None:
    """Free `key` of the token when its answer has expired."""
    db.session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.token_id == token_id, IdempotencyKey.key == key, IdempotencyKey.created_at <= now - LIFETIME
        )
    )


def find(token_id: int, key: str) -> IdempotencyKey | None:
    query = select(IdempotencyKey).where(IdempotencyKey.token_id == token_id, IdempotencyKey.key == key)
    return db.session.scalar(query)


def remember(token_id: int, key: str, print_: str, response: Response, *, now: datetime) -> IdempotencyKey:
    """Store the key with the answer to its request; flushes, never commits."""
    kept = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
    record = IdempotencyKey(
        token_id=token_id,
        key=key,
        fingerprint=print_,
        status=response.status_code,
        headers=kept,
        body=response.get_data(as_text=True),
        created_at=now,
    )
    db.session.add(record)
    db.session.flush()
    return record


def purge_expired(now: datetime) -> int:
    """Delete every key whose answer has expired (the job api.idempotency_keys); returns how many."""
    result = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at <= now - LIFETIME))
    return result.rowcount or 0


def replay(record: IdempotencyKey) -> Response:
    response = current_app.response_class(record.body, status=record.status, headers=record.headers)
    response.headers[REPLAYED_HEADER] = "true"
    return response


def _commit_if_successful(response: Response) -> Response:
    if 200 <= response.status_code < 300:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def write(run: Callable[[], object]) -> Response:
    """The answer to a write: `run()`'s, committed in one transaction when it is successful (2xx), rolled back
    otherwise. With an Idempotency-Key the key and the answer are stored in that same transaction, and a key that
    has an answer gets it again instead of a second write (see the module's docstring)."""
    sent = request.headers.get(HEADER)
    if sent is None:
        return _commit_if_successful(current_app.make_response(run()))
    key = parse_key(sent)
    if key is None:
        return problem(400, _("De kop Idempotency-Key bevat 1 tot 255 leesbare ASCII-tekens, zoals een UUID."))
    token_id, now, print_ = current_token().id, datetime.now(UTC), fingerprint()
    if not _take_turn(token_id, key):
        return problem(409, _("Een verzoek met deze Idempotency-Key wordt nog verwerkt. Probeer het zo opnieuw."))
    purge_key(token_id, key, now=now)
    earlier = find(token_id, key)
    if earlier is not None:
        if earlier.fingerprint == print_:
            answer = replay(earlier)
        else:
            answer = problem(
                422,
                _(
                    "Deze Idempotency-Key is al gebruikt voor een ander verzoek. Gebruik voor elk nieuw verzoek een "
                    "nieuwe sleutel."
                ),
            )
        db.session.rollback()
        return answer
    response = current_app.make_response(run())
    if 200 <= response.status_code < 300:
        remember(token_id, key, print_, response, now=now)
    return _commit_if_successful(response)
