"""The storage of uploads: the folder and the bucket behave alike, `ping` tells when either cannot be used, and
`flask storage copy` moves the files between them, resumable, and only files that are ours."""

from __future__ import annotations

import hashlib
import secrets

import pytest
from botocore.exceptions import EndpointConnectionError

from app import create_app, storage, uploads
from app.config import resolve

#: the names `uploads.store` makes: one of each area, and one that is not an upload at all
PHOTO = f"findings/{'a' * 32}.jpg"
DOCUMENT = f"camera-documents/{'b' * 32}.pdf"
LOGO = f"logos/{'c' * 32}.jpg"
FILES = {PHOTO: b"photo " * 100, DOCUMENT: b"%PDF- document", LOGO: b"logo"}


def _fill(backend: storage.Storage, files: dict[str, bytes]) -> None:
    for key, data in files.items():
        backend.put(key, data)


def _contents(backend: storage.Storage) -> dict[str, bytes]:
    return {key: backend.get(key) for key, _info in backend.items()}


def test_both_backends_put_get_list_and_delete_alike(app, upload_storage):
    with app.app_context():
        assert type(storage.backend()) is type(upload_storage)
        name = uploads.store("findings", "jpg", b"jpeg")
        assert uploads.read("findings", name, "jpg") == b"jpeg" and uploads.exists("findings", name, "jpg")
        (key, info), *_rest = list(upload_storage.items())
        assert key == f"findings/{name}" and info == storage.ObjectInfo(4, hashlib.md5(b"jpeg").hexdigest())  # noqa: S324
        uploads.remove_files("findings", [name, name], "jpg")  # twice: a missing file is fine
        assert uploads.read("findings", name, "jpg") is None and not uploads.exists("findings", name, "jpg")
        assert upload_storage.info(f"findings/{name}") is None and list(upload_storage.items()) == []


@pytest.mark.parametrize("name", ["../../app.py", f"{'a' * 32}.pdf", f"../{'a' * 32}.jpg", None, ""])
def test_a_name_that_is_not_ours_is_never_read_or_removed(app, upload_storage, name):
    upload_storage.put(f"findings/{'a' * 32}.pdf", b"keep")
    with app.app_context():
        assert uploads.key_of("findings", name, "jpg") is None
        assert uploads.read("findings", name, "jpg") is None
        uploads.remove_files("findings", [name], "jpg")
    assert upload_storage.get(f"findings/{'a' * 32}.pdf") == b"keep"


def test_ping_passes_for_a_folder_and_a_bucket_that_can_be_used(app, upload_storage):
    with app.app_context():
        storage.ping()


def test_ping_fails_for_a_folder_that_cannot_be_made(app, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(blocker / "uploads"))
    with app.app_context(), pytest.raises(storage.StorageError, match="cannot be made"):
        storage.ping()


def test_ping_fails_for_a_missing_bucket(app, s3_bucket, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_URL", f"s3://missing-{secrets.token_hex(4)}/uploads")
    with app.app_context(), pytest.raises(storage.StorageError, match="cannot be reached"):
        storage.ping()


def test_ping_fails_when_the_s3_server_does_not_answer(s3_server, monkeypatch):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed}")
    app = create_app({"STORAGE_URL": "s3://bucket/uploads"})
    with app.app_context(), pytest.raises(storage.StorageError, match="cannot be reached"):
        storage.ping()


@pytest.mark.parametrize("url", ["s3://", "https://bucket/prefix", "s3://bucket/prefix?x=1", "bucket"])
def test_a_storage_url_that_is_no_bucket_is_refused_at_start_up(monkeypatch, url):
    monkeypatch.setenv("STORAGE_URL", url)
    with pytest.raises(RuntimeError, match="STORAGE_URL must look like s3://bucket/prefix"):
        resolve("development")


def test_the_storage_url_is_read_from_the_environment(monkeypatch):
    assert resolve("development")["STORAGE_URL"] == ""
    monkeypatch.setenv("STORAGE_URL", " s3://vb-uploads/productie ")
    assert resolve("development")["STORAGE_URL"] == "s3://vb-uploads/productie"


# flask storage copy ---------------------------------------------------------------------------------------------


@pytest.fixture
def folder(app, tmp_path, monkeypatch) -> storage.LocalStorage:
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return storage.local_storage(app)


def _copy(app, to: str):
    return app.test_cli_runner().invoke(args=["storage", "copy", "--to", to])


def test_copy_to_the_bucket_and_back_carries_every_upload(app, folder, s3_bucket, tmp_path):
    _fill(folder, FILES)
    folder.put("notes.txt", b"not an upload")
    result = _copy(app, "s3")
    assert result.exit_code == 0, result.output
    assert f"Copied 3 files from folder {folder.root} to {s3_bucket!r}; 0 were there already." in result.output
    assert _contents(s3_bucket) == FILES
    assert _contents(folder) == {**FILES, "notes.txt": b"not an upload"}  # the source stays as it was

    app.config["UPLOAD_FOLDER"] = str(tmp_path / "back")
    result = _copy(app, "local")
    assert result.exit_code == 0, result.output
    assert "Copied 3 files" in result.output
    assert _contents(storage.local_storage(app)) == FILES


def test_an_interrupted_copy_is_finished_by_running_it_again(app, folder, s3_bucket, monkeypatch):
    _fill(folder, FILES)
    real_put = storage.S3Storage.put
    puts = []

    def put_then_fail(self, key, data):
        if len(puts) == 1:
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:9")
        puts.append(key)
        real_put(self, key, data)

    with monkeypatch.context() as patch:
        patch.setattr(storage.S3Storage, "put", put_then_fail)
        failed = _copy(app, "s3")
    assert (
        failed.exit_code == 1 and "The copy stopped after 1 files" in failed.output and "run it again" in failed.output
    )
    assert len(_contents(s3_bucket)) == 1

    # an object that differs from its source (a copy of an earlier, changed file) is copied again
    s3_bucket.put(LOGO, b"logx")
    resumed = _copy(app, "s3")
    assert resumed.exit_code == 0, resumed.output
    assert "Copied 2 files" in resumed.output and "1 were there already" in resumed.output
    assert _contents(s3_bucket) == FILES
    assert "Copied 0 files" in _copy(app, "s3").output


def test_copy_to_the_folder_takes_only_keys_that_are_ours(app, folder, s3_bucket, tmp_path):
    s3_bucket.put(PHOTO, FILES[PHOTO])
    s3_bucket.put("../../outside.jpg", b"escape")
    s3_bucket.put(f"findings/../../{'d' * 32}.jpg", b"escape")
    result = _copy(app, "local")
    assert result.exit_code == 0, result.output
    assert _contents(folder) == {PHOTO: FILES[PHOTO]}
    assert sorted(path.name for path in tmp_path.rglob("*") if path.is_file()) == [PHOTO.split("/")[1]]


def test_copy_needs_a_bucket(app, folder):
    result = _copy(app, "s3")
    assert result.exit_code == 1 and "STORAGE_URL must look like s3://bucket/prefix" in result.output


def test_copy_refuses_a_bucket_that_cannot_be_reached(app, folder, s3_bucket, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_URL", f"s3://missing-{secrets.token_hex(4)}")
    _fill(folder, FILES)
    result = _copy(app, "s3")
    assert result.exit_code == 1 and "cannot be reached" in result.output
