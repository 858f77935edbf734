"""Tests of the stakeholders area; `pdf_text` reads the words a PDF shows."""

from __future__ import annotations

import base64
import re
import zlib
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.parks.models import Cycle, CycleStatus, Park

_STREAM = re.compile(rb"<<(?P<head>(?:(?!>>).)*)>>\s*stream\r?\n(?P<body>.*?)endstream", re.S)
# a string shown with Tj, or an operator that starts a new line of text
_SHOWN = re.compile(rb"\((?P<text>(?:\\.|[^\\)])*)\)\s*Tj|(?P<newline>T\*|\bT[dDm]\b|\bET\b)", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    def one(match: re.Match) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return _SIMPLE.get(code, code)

    return _ESCAPE.sub(one, raw)


def pdf_text(data: bytes) -> str:
    """The text a PDF shows, line by line, whitespace collapsed: every content stream decoded (ASCII85, Flate)
    and every string it shows (Tj) read in the WinAnsi encoding of the standard fonts."""
    assert data.startswith(b"%PDF-"), "not a PDF"
    lines = []
    for stream in _STREAM.finditer(data):
        head, body = stream.group("head"), stream.group("body")
        if b"/ASCII85Decode" in head:
            body = base64.a85decode(body.strip().removesuffix(b"~>"))
        if b"/FlateDecode" in head:
            body = zlib.decompress(body)
        line = ""
        for shown in _SHOWN.finditer(body):
            if shown.group("newline"):
                lines.append(line)
                line = ""
            else:
                line += _unescape(shown.group("text")).decode("cp1252")
        lines.append(line)
    return " ".join(" ".join(lines).split())


def cycle_of(park: Park) -> Cycle:
    """The park's active cycle (made here when the park factory did not make one)."""
    cycle = db.session.scalar(select(Cycle).where(Cycle.park_id == park.id, Cycle.status == CycleStatus.ACTIVE))
    if cycle is None:
        cycle = Cycle(
            park=park,
            number=1,
            starts_on=date(2026, 1, 1),
            ends_on=date(2027, 12, 31),
            status=CycleStatus.ACTIVE,
            current_step=1,
        )
        db.session.add(cycle)
        db.session.flush()
    return cycle
