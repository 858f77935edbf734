"""What the respondent's page does before it sends answers through a survey's public link."""

from __future__ import annotations

import altcha


def proof_for(client, public_token: str) -> dict:
    """A proof of work for one answer through the public link: a challenge from the server, solved."""
    response = client.get(f"/enquete/open/{public_token}/uitdaging")
    assert response.status_code == 200, response.get_data(as_text=True)
    challenge = altcha.Challenge.from_dict(response.get_json())
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_dict()
