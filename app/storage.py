"""Where uploaded files live: a folder on disk (UPLOAD_FOLDER, the default) or an S3-compatible bucket
(STORAGE_URL=s3://bucket/prefix; endpoint and credentials from boto3's environment, e.g. AWS_ENDPOINT_URL,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION).

Both backends speak in keys such as `findings/<32 hex>.jpg`; `app.uploads` makes the keys and checks them, the
areas never touch a file or a bucket themselves.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from flask import Flask, current_app


class StorageError(Exception):
    """The storage is misconfigured or cannot be reached; the message says which and why."""


@dataclass(frozen=True)
class ObjectInfo:
    size: int
    #: the MD5 of the content in hex, None when the backend cannot tell cheaply (an S3 ETag that is no MD5)
    md5: str | None

    def same_as(self, other: ObjectInfo) -> bool:
        """Whether two stored objects hold the same content, as far as size and (when both know it) MD5 tell."""
        if self.size != other.size:
            return False
        return self.md5 is None or other.md5 is None or self.md5 == other.md5


class Storage(Protocol):
    """One place for uploaded files, addressed by key."""

    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes | None: ...
    def delete(self, key: str) -> None: ...
    def info(self, key: str) -> ObjectInfo | None: ...
    def items(self) -> Iterator[tuple[str, ObjectInfo]]: ...
    def ping(self) -> None: ...


class LocalStorage:
    """Files under a folder on disk: the key is the path below it (`findings/<name>.jpg`)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"folder {self.root}"

    def _path(self, key: str) -> Path:
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        # written under a temporary name and renamed, so an interrupted copy never leaves half a file by that key
        handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def info(self, key: str) -> ObjectInfo | None:
        data = self.get(key)
        return None if data is None else ObjectInfo(size=len(data), md5=hashlib.md5(data).hexdigest())  # noqa: S324

    def items(self) -> Iterator[tuple[str, ObjectInfo]]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root)
            # temporary files of an unfinished put or restore are no uploads
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                key = relative.as_posix()
                info = self.info(key)
                if info is not None:
                    yield key, info

    def ping(self) -> None:
        """Raise StorageError unless the folder exists (it is made when missing) and is writable."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"The upload folder {self.root} cannot be made ({error}).") from None
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise StorageError(f"The upload folder {self.root} is not writable.")


class S3Storage:
    """Objects in an S3-compatible bucket, each under `<prefix>/<key>`."""

    def __init__(self, client, bucket: str, prefix: str) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    def __repr__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    def _name(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data)

    def get(self, key: str) -> bytes | None:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except self.client.exceptions.NoSuchKey:
            return None
        return response["Body"].read()

    def delete(self, key: str) -> None:
        # S3 answers a delete of a missing key with success too
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def info(self, key: str) -> ObjectInfo | None:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise
        return ObjectInfo(size=head["ContentLength"], md5=_etag_md5(head["ETag"]))

    def items(self) -> Iterator[tuple[str, ObjectInfo]]:
        start = f"{self.prefix}/" if self.prefix else ""
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start):
            for entry in page.get("Contents", []):
                yield entry["Key"][len(start) :], ObjectInfo(size=entry["Size"], md5=_etag_md5(entry["ETag"]))

    def ping(self) -> None:
        """Raise StorageError unless the bucket answers (one HEAD request)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as error:
            raise StorageError(f"The bucket {self!r} cannot be reached ({error}).") from None


def _etag_md5(etag: str) -> str | None:
    """The MD5 an ETag stands for: a plain upload's ETag is its MD5; a multipart or encrypted one's is not."""
    value = etag.strip('"').lower()
    return value if len(value) == 32 and all(c in "0123456789abcdef" for c in value) else None


def is_s3(app: Flask | None = None) -> bool:
    """Whether the app keeps its uploads in a bucket (STORAGE_URL is set)."""
    return bool((app or current_app).config.get("STORAGE_URL"))


def local_storage(app: Flask | None = None) -> LocalStorage:
    """The upload folder on disk, whichever backend is in use (the copy command's other side)."""
    return LocalStorage((app or current_app).config["UPLOAD_FOLDER"])


def s3_storage(app: Flask | None = None) -> S3Storage:
    """The bucket of STORAGE_URL. Raises StorageError when STORAGE_URL is not an `s3://bucket[/prefix]` URL."""
    app = app or current_app
    bucket, prefix = split_url(app.config.get("STORAGE_URL") or "")
    return S3Storage(_s3_client(app), bucket, prefix)


def split_url(url: str) -> tuple[str, str]:
    """The bucket and prefix of an `s3://bucket[/prefix]` URL. Raises StorageError for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise StorageError(f"STORAGE_URL must look like s3://bucket/prefix, not {url!r}.")
    return parts.netloc, parts.path.strip("/")


def _s3_client(app: Flask):
    """One boto3 client per app (clients are thread-safe and costly to make), configured from the environment."""
    client = app.extensions.get("storage.s3_client")
    if client is None:
        import boto3
        from botocore.config import Config

        config = Config(connect_timeout=5, read_timeout=30, retries={"mode": "standard", "max_attempts": 3})
        client = app.extensions["storage.s3_client"] = boto3.session.Session().client("s3", config=config)
    return client


def backend(app: Flask | None = None) -> Storage:
    """The storage the app uses: the bucket when STORAGE_URL is set, else the upload folder."""
    return s3_storage(app) if is_s3(app) else local_storage(app)


def ping() -> None:
    """Raise StorageError when the app's storage cannot be used (a missing or read-only folder, an unreachable or
    missing bucket). Cheap: one HEAD request or one folder check. Needs an app context."""
    backend().ping()


@dataclass(frozen=True)
class CopyResult:
    copied: int
    #: already in the target with the same size (and MD5 where known): an earlier, interrupted run copied them
    present: int


def copy_all(source: Storage, target: Storage, *, keep=lambda key: True) -> CopyResult:
    """Copy every object of `source` (whose key `keep` accepts) into `target`, skipping those that are there with the
    same content already, so a rerun after an interruption only does what is left. The source is left as it is."""
    from botocore.exceptions import BotoCoreError, ClientError

    copied = present = 0
    try:
        there = dict(target.items())
        for key, info in source.items():
            if not keep(key):
                continue
            if key in there and there[key].same_as(info):
                present += 1
                continue
            data = source.get(key)
            if data is None:  # removed since the listing (a deleted upload): nothing to copy
                continue
            target.put(key, data)
            copied += 1
    except (BotoCoreError, ClientError) as error:
        raise StorageError(f"The copy stopped after {copied} files ({error}); run it again to go on.") from None
    return CopyResult(copied=copied, present=present)
