"""Storing uploaded files outside `static/`: random names under <subfolder>/ in the app's storage (`app.storage`: the
upload folder or a bucket), reads and removals only for names that are ours (never a key outside ours), removal after
the commit that dropped their rows, safe names.

The areas that keep uploads (inspection photos, camera documents, check photos, logos) check the content themselves
and use these helpers for the files.
"""

from __future__ import annotations

import io
import re
import secrets

from flask import abort, send_file

from app import storage

_STORED_NAME = re.compile(r"[0-9a-f]{32}\.[a-z]{2,4}")
_STORED_KEY = re.compile(r"[a-z][a-z-]{0,39}/[0-9a-f]{32}\.[a-z]{2,4}")


def is_stored_name(name: str | None, suffix: str) -> bool:
    """Whether `name` is a name `store` made with that suffix (32 hex digits, the suffix, nothing else)."""
    return bool(name) and _STORED_NAME.fullmatch(name or "") is not None and name.endswith(f".{suffix}")


def is_stored_key(key: str) -> bool:
    """Whether `key` is one `store` could have made (`<subfolder>/<stored name>`): what the copy command and the
    backups carry between the folder and the bucket, and nothing else."""
    return _STORED_KEY.fullmatch(key) is not None


def key_of(subfolder: str, stored_name: str | None, suffix: str) -> str | None:
    """The storage key of a stored file; None for a name that is not one of ours."""
    if not is_stored_name(stored_name, suffix):
        return None
    return f"{subfolder}/{stored_name}"


def store(subfolder: str, suffix: str, data: bytes) -> str:
    """Write `data` under a new random name in the subfolder; returns the stored name."""
    stored_name = f"{secrets.token_hex(16)}.{suffix}"
    storage.backend().put(f"{subfolder}/{stored_name}", data)
    return stored_name


def read(subfolder: str, stored_name: str | None, suffix: str) -> bytes | None:
    """The content of a stored file; None when it is gone or the name is not one of ours."""
    key = key_of(subfolder, stored_name, suffix)
    return None if key is None else storage.backend().get(key)


def exists(subfolder: str, stored_name: str | None, suffix: str) -> bool:
    """Whether a stored file is there (without reading it)."""
    key = key_of(subfolder, stored_name, suffix)
    return key is not None and storage.backend().info(key) is not None


def remove_files(subfolder: str, stored_names: list[str], suffix: str) -> None:
    """Remove stored files (after the commit that removed their rows); missing files and foreign names are
    skipped."""
    backend = storage.backend()
    for name in stored_names:
        key = key_of(subfolder, name, suffix)
        if key is not None:
            backend.delete(key)


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


def send_stored(data: bytes | None, *, mimetype: str, download_name: str, as_attachment: bool):
    """The response for a stored file's content (`read`), or a 404 when it is gone: never sniffed as another type,
    and cached only by the user's own browser (it is served after a permission check)."""
    if data is None:
        abort(404)
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=as_attachment, download_name=download_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
