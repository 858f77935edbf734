"""Storing uploaded files outside `static/`: random names under UPLOAD_FOLDER/<subfolder>/, a path only for names
that are ours (never one outside the folder), removal after the commit that dropped their rows, safe names.

The areas that keep uploads (inspection photos, camera documents) check the content themselves and use these
helpers for the files.
"""

from __future__ import annotations

import io
import re
import secrets
from pathlib import Path

from flask import abort, current_app, send_file

_STORED_NAME = re.compile(r"[0-9a-f]{32}\.[a-z]{2,4}")


def folder(subfolder: str) -> Path:
    """The folder of one kind of upload, under the configured UPLOAD_FOLDER."""
    return Path(current_app.config["UPLOAD_FOLDER"]) / subfolder


def is_stored_name(name: str | None, suffix: str) -> bool:
    """Whether `name` is a name `store` made with that suffix (32 hex digits, the suffix, nothing else)."""
    return bool(name) and _STORED_NAME.fullmatch(name or "") is not None and name.endswith(f".{suffix}")


def store(subfolder: str, suffix: str, data: bytes) -> str:
    """Write `data` under a new random name in the subfolder; returns the stored name."""
    stored_name = f"{secrets.token_hex(16)}.{suffix}"
    target = folder(subfolder) / stored_name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return stored_name


def path_of(subfolder: str, stored_name: str | None, suffix: str) -> Path | None:
    """Where a stored file is; None for a name that is not one of ours."""
    if not is_stored_name(stored_name, suffix):
        return None
    return folder(subfolder) / str(stored_name)


def remove_files(subfolder: str, stored_names: list[str], suffix: str) -> None:
    """Remove stored files (after the commit that removed their rows); missing files and foreign names are
    skipped."""
    for name in stored_names:
        path = path_of(subfolder, name, suffix)
        if path is not None:
            path.unlink(missing_ok=True)


def safe_original_name(filename: str | None, default: str) -> str:
    """The uploaded file's own name without folders or control characters, at most 255 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:255] or default


def download_name(original_name: str, suffix: str, default: str) -> str:
    """A safe file name for the browser: the original name's letters and digits, always ending in the suffix."""
    stem = original_name.rsplit(".", 1)[0] if "." in original_name else original_name
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:80]
    return f"{stem or default}.{suffix}"


def send_stored(path: Path | None, *, mimetype: str, download_name: str, as_attachment: bool):
    """The response for a stored file, or a 404 when it is gone: never sniffed as another type, and cached only by
    the user's own browser (it is served after a permission check)."""
    if path is None or not path.is_file():
        abort(404)
    response = send_file(
        io.BytesIO(path.read_bytes()), mimetype=mimetype, as_attachment=as_attachment, download_name=download_name
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
