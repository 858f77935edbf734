"""Background tiles for the printed maps: fetched over HTTP within a time budget and kept in a disk cache."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image, UnidentifiedImageError

log = logging.getLogger(__name__)

TILE_SIZE = 256
#: tiles fetched at the same time for one map (a tile server is a shared service: keep it polite)
PARALLEL = 4

#: after a failure, how long a tile server is left alone: the maps of one dossier then wait for it once, not each
RETRY_AFTER = 60.0

Tile = tuple[int, int, int]  # (z, x, y)

#: per URL template, the monotonic time before which it is not asked again
_failed_until: dict[str, float] = {}


@dataclass(frozen=True)
class TileSource:
    """Where the tiles come from and how long to wait for them."""

    url_template: str
    cache_dir: Path
    max_age_seconds: float
    timeout: float
    budget: float
    user_agent: str

    def url(self, tile: Tile) -> str:
        z, x, y = tile
        return self.url_template.format(z=z, x=x, y=y)

    def cache_path(self, tile: Tile) -> Path:
        """A file name from a hash of the URL template and the tile: safe whatever the template holds, and a changed
        template never serves another source's tiles."""
        z, x, y = tile
        key = hashlib.sha256(f"{self.url_template}\n{z}/{x}/{y}".encode()).hexdigest()
        return self.cache_dir / key[:2] / f"{key}.png"


def _decoded(data: bytes) -> Image.Image:
    """The tile as an RGB image of the tile size; anything else (an error page, a broken file) raises ValueError."""
    try:
        image = Image.open(BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as error:
        raise ValueError("not an image") from error
    if image.size != (TILE_SIZE, TILE_SIZE):
        raise ValueError(f"tile of {image.size}")
    return image.convert("RGB")


def _cached(source: TileSource, tile: Tile) -> Image.Image | None:
    path = source.cache_path(tile)
    try:
        if time.time() - path.stat().st_mtime > source.max_age_seconds:
            return None
        return _decoded(path.read_bytes())
    except (OSError, ValueError):
        return None


def _store(source: TileSource, tile: Tile, data: bytes) -> None:
    path = source.cache_path(tile)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # written beside and renamed, so a reader never sees half a tile
        partial = path.with_suffix(f".{threading.get_ident()}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        log.warning("tile cache %s is not writable", source.cache_dir)


def _download(source: TileSource, tile: Tile, deadline: float) -> Image.Image:
    timeout = min(source.timeout, deadline - time.monotonic())
    if timeout <= 0:
        raise TimeoutError("tile budget spent")
    request = urllib.request.Request(source.url(tile), headers={"User-Agent": source.user_agent})  # noqa: S310 - the operator's tile URL
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        data = response.read(2 * 1024 * 1024)
    image = _decoded(data)
    _store(source, tile, data)
    return image


def fetch(source: TileSource, tiles: Iterable[Tile]) -> dict[Tile, Image.Image] | None:
    """Every tile, from the cache or the server, or None as soon as one cannot be had within the source's timeout and
    budget (a map with holes in its background would mislead more than a map without one), or while the server is
    left alone after a failure."""
    wanted = list(tiles)
    found: dict[Tile, Image.Image] = {}
    missing = []
    for tile in wanted:
        if (image := _cached(source, tile)) is not None:
            found[tile] = image
        else:
            missing.append(tile)
    if not missing:
        return found
    if time.monotonic() < _failed_until.get(source.url_template, 0):
        return None
    deadline = time.monotonic() + source.budget
    failed = threading.Event()

    def one(tile: Tile) -> None:
        if failed.is_set():
            return
        try:
            found[tile] = _download(source, tile, deadline)
        # any failure (network, HTTP status, not an image) means the same: no background
        except Exception as error:
            if not failed.is_set():
                log.warning("map tile %s not available: %s", source.url(tile), error)
            failed.set()

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        list(pool.map(one, missing))
    if failed.is_set():
        _failed_until[source.url_template] = time.monotonic() + RETRY_AFTER
        return None
    return found
