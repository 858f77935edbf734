"""The README and the manual in docs/ point only at what the repository holds: every relative link and every
repository path they name exists, every link to a section finds its heading, and nothing points outside."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([ROOT / "README.md", ROOT / "bench" / "README.md", *(ROOT / "docs").glob("*.md")])
#: a word starting with one of these names a file or folder of the repository
REPOSITORY_FOLDERS = ("app/", "tests/", "bench/", "migrations/", "templates/", "static/", "docs/", ".ci/")
#: filled by `npm ci`, never committed
GENERATED = ("static/vendor/",)
#: placeholders and globs (`<id>`, `{nl,en}`, `*.py`, `…`) stand for many paths, none of them checkable
PLACEHOLDER = re.compile(r"[<>{}*…]")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`([^`\n]+)`")
URL = re.compile(r"[a-z]+:")


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def repository_paths(text: str) -> set[str]:
    """The words of code spans and fenced blocks that name a repository path, without surrounding punctuation."""
    code = [block for block in FENCE.findall(text)] + CODE_SPAN.findall(FENCE.sub("", text))
    words = (word.strip("'\"(),;:.") for block in code for word in block.split())
    return {word for word in words if word.startswith(REPOSITORY_FOLDERS) and not PLACEHOLDER.search(word)}


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file."""
    headings = re.findall(r"^#+ (.+)$", FENCE.sub("", path.read_text()), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_the_manual_is_there():
    assert {"features.md", "operations.md", "architecture.md"} <= {path.name for path in DOCUMENTS}


@pytest.mark.parametrize("document", DOCUMENTS, ids=_id)
def test_nothing_points_outside_the_repository(document):
    text = document.read_text()
    relative = re.findall(r"(?:\.\./)+[^\s)`'\"]*", text) + [link for link in LINK.findall(text) if not URL.match(link)]
    outside = [path for path in relative if ROOT not in (document.parent / path.split("#")[0]).resolve().parents]
    assert not outside


@pytest.mark.parametrize("document", DOCUMENTS, ids=_id)
def test_every_relative_link_finds_its_file_and_heading(document):
    for target in LINK.findall(document.read_text()):
        if URL.match(target):
            continue
        file, _, anchor = target.partition("#")
        linked = (document.parent / file).resolve() if file else document
        assert linked.exists(), target
        if anchor:
            assert anchor in anchors(linked), target


@pytest.mark.parametrize("document", DOCUMENTS, ids=_id)
def test_every_repository_path_named_exists(document):
    named = repository_paths(document.read_text())
    missing = sorted(path for path in named if not path.startswith(GENERATED) and not (ROOT / path).exists())
    assert not missing
