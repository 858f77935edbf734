"""Every UI text goes through Flask-Babel, and both catalogs (Dutch and English) are complete and current."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app import ROOT

TRANSLATIONS = ROOT / "app" / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> set[str]:
    """What `pybabel extract -F app/translations/babel.cfg --ignore-dirs ".* node_modules" .` finds."""
    with open(TRANSLATIONS / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)

    def wanted(path: str) -> bool:
        name = Path(path).name
        return not name.startswith(".") and name != "node_modules"

    return {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS, directory_filter=wanted
        )
    }


@pytest.fixture(scope="module")
def source_messages() -> set[str]:
    messages = _source_messages()
    assert len(messages) > 100  # the extraction itself works
    return messages


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_catalog_translates_every_source_text(source_messages, locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    # a plural entry is known by its singular, as the extraction above names it
    translated = {m.id[0] if isinstance(m.id, tuple) else m.id: m for m in catalog if m.id}
    missing = sorted(source_messages - set(translated))
    assert not missing, f"{locale}: texts without an entry (run the update in the README): {missing}"
    untranslated = sorted(
        key
        for key, m in translated.items()
        if m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string])
    )
    assert not untranslated, f"{locale}: texts without a translation: {untranslated}"
    obsolete = sorted(set(translated) - source_messages)
    assert not obsolete, f"{locale}: entries no source uses any more: {obsolete}"
    problems = [(m.id, errors) for m, errors in catalog.check()]
    assert not problems, f"{locale}: placeholders do not match: {problems}"


def test_english_pages_use_the_english_catalog(client, db):
    client.post("/taal", data={"lang": "en", "next": "/inloggen"})
    body = client.get("/inloggen").get_data(as_text=True)
    assert '<html lang="en"' in body
    assert "Forgotten your password?" in body and "Wachtwoord vergeten?" not in body


def test_dutch_is_the_default(client, db):
    body = client.get("/inloggen", headers={"Accept-Language": "en-GB,en"}).get_data(as_text=True)
    assert '<html lang="nl"' in body and "Wachtwoord vergeten?" in body


def test_form_validation_messages_follow_the_language(client, db):
    dutch = client.post("/inloggen", data={}).get_data(as_text=True)
    client.post("/taal", data={"lang": "en"})
    english = client.post("/inloggen", data={}).get_data(as_text=True)
    assert "This field is required." in english
    assert "This field is required." not in dutch
