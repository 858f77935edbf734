"""A tile server on the loopback address for the printed maps' tests: generated tiles for any z/x/y, or failures."""

from __future__ import annotations

import contextlib
import threading
import time
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

from PIL import Image, ImageDraw

#: what a tile looks like: a land colour with a street grid, so a map over it is plainly not white
LAND = (232, 226, 208)
STREET = (255, 255, 255)
WATER = (170, 205, 230)


@cache
def tile_png(x: int, y: int) -> bytes:
    image = Image.new("RGB", (256, 256), LAND)
    draw = ImageDraw.Draw(image)
    for offset in (40, 150):
        draw.line((0, offset, 256, offset + 30), fill=STREET, width=9)
        draw.line((offset, 0, offset - 20, 256), fill=STREET, width=7)
    if (x + y) % 3 == 0:
        draw.ellipse((170, 170, 250, 230), fill=WATER)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class TileServer:
    """Serves `/{z}/{x}/{y}.png` on 127.0.0.1 on a free port; `mode` is "ok", "error" (500), "garbage" or "slow"
    (waits `delay` seconds first). `requests` and `agents` hold every path asked for and its User-Agent."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.delay = 2.0
        self.requests: list[str] = []
        self.agents: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                server.agents.append(self.headers.get("User-Agent", ""))
                if server.mode == "slow":
                    time.sleep(server.delay)
                if server.mode == "error":
                    self.send_error(500)
                    return
                try:
                    _z, x, y = (int(part) for part in self.path.removesuffix(".png").strip("/").split("/"))
                except ValueError:
                    self.send_error(404)
                    return
                body = b"<html>not a tile</html>" if server.mode == "garbage" else tile_png(x, y)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # the client may have given up waiting (the slow mode)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> TileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
