"""The public survey link's guard against stuffing: a proof of work the browser solves for every answer, spent
once, and a limit of answers per client.

The proof is an ALTCHA challenge (protocol v2, iterated SHA-256), issued and checked here with a key derived from
SECRET_KEY; no third party takes part. Personal links need neither: their token is the credential. Nothing of this
is stored with the answers but the spent proof itself, a random value issued to nobody the platform knows: the
limit counts hashed addresses in the rate limiter (app.ratelimit).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

import altcha
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.errors import DomainError, TooManyRequests
from app.ratelimit import count, minutes_left
from app.surveys.models import Survey

#: how long a challenge may be solved and sent back: the browser asks for one when it sends, not when it opens
LIFETIME = timedelta(minutes=10)
ALGORITHM = "SHA-256"


INVALID = _l("Uw antwoorden kwamen zonder geldige controle binnen.")
EXPIRED = _l("De controle bij uw antwoorden was verlopen.")
SPENT = _l("De controle bij uw antwoorden was al eens gebruikt.")
KEPT = _l("Ze zijn op dit apparaat bewaard; probeer het opnieuw.")


class ProofRefused(DomainError):
    """The answer came without a valid, unspent proof of work for this survey; the message says why, and that the
    answers are kept in the browser."""

    status_code = 403

    def __init__(self, reason: object) -> None:
        super().__init__(f"{reason} {KEPT}")


def _secret(purpose: bytes) -> bytes:
    return hmac.digest(current_app.config["SECRET_KEY"].encode(), b"survey-proof-of-work:" + purpose, "sha256")


def new_challenge(survey: Survey, *, now: datetime) -> dict[str, Any]:
    """A signed challenge for one answer through `survey`'s public link, valid for LIFETIME: the browser finds the
    counter (a random one between half of SURVEY_PROOF_MAX_COUNTER and all of it) whose hash has the given
    prefix. Checking the answer costs one HMAC (the derived key is signed too), however hard the work."""
    top = max(2, int(current_app.config["SURVEY_PROOF_MAX_COUNTER"]))
    challenge = altcha.create_challenge(
        algorithm=ALGORITHM,
        cost=1,
        counter=top // 2 + secrets.randbelow(top - top // 2),
        expires_at=now + LIFETIME,
        data={"survey": survey.id},
        hmac_secret=_secret(b"challenge"),
        hmac_key_secret=_secret(b"key"),
    )
    return challenge.to_dict()


def checked_proof(survey: Survey, proof: object) -> str:
    """Check the proof that came with an answer through `survey`'s public link; returns the key under which it is
    spent (a hash of the challenge's signature: the answer's row keeps it, unique, so that the proof goes with one
    answer only). ProofRefused (403) when it is missing, malformed, forged, for another survey or expired."""
    try:
        payload = altcha.Payload.from_dict(proof)  # type: ignore[arg-type]
        result = altcha.verify_solution(payload, _secret(b"challenge"), hmac_key_secret=_secret(b"key"))
    except (AttributeError, KeyError, TypeError, ValueError):
        raise ProofRefused(INVALID) from None
    if result.expired:
        raise ProofRefused(EXPIRED)
    data = payload.challenge.parameters.data
    if not result.verified or not isinstance(data, dict) or data.get("survey") != survey.id:
        raise ProofRefused(INVALID)
    return hashlib.sha256(payload.challenge.signature.encode()).hexdigest()


def ensure_client_may_answer(survey: Survey, client: str | None) -> None:
    """Count an answer from `client` (its IP address) through `survey`'s public link; TooManyRequests (429) beyond
    SURVEY_PUBLIC_LIMIT. Every attempt counts, refused ones too. The count lives in the rate limiter under a hash
    and expires with its window: it is never stored with the answers or in the audit log."""
    verdict = count("SURVEY_PUBLIC_LIMIT", f"{survey.id}:{client or 'onbekend'}")
    if not verdict.allowed:
        raise TooManyRequests(
            ngettext(
                "Vanaf deze verbinding is de enquête al vaak ingevuld. Uw antwoorden zijn op dit apparaat bewaard; "
                "probeer het over %(num)s minuut opnieuw.",
                "Vanaf deze verbinding is de enquête al vaak ingevuld. Uw antwoorden zijn op dit apparaat bewaard; "
                "probeer het over %(num)s minuten opnieuw.",
                minutes_left(verdict),
            ),
            retry_after=verdict.reset,
        )
