"""Webhook receiver for the benchmarks: records when each alert arrived, in its own process.

`python bench/receiver.py` prints its port, accepts Apprise json:// POSTs on any path and answers
GET /_log with every alert received so far: [{"at": unix time, "title", "message"}].
"""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from aiohttp import web


def make_app() -> web.Application:
    received: list[dict[str, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        at = time.time()
        payload = await request.json(loads=json.loads) if request.can_read_body else {}
        received.append({"at": at, "title": payload.get("title", ""),
                         "message": payload.get("message", "")})
        return web.Response(status=200)

    async def log(request: web.Request) -> web.Response:
        return web.json_response(received)

    app = web.Application(client_max_size=10 * 2**20)
    app.add_routes([web.get("/_log", log), web.post("/{tail:.*}", hook)])
    return app


async def serve() -> None:
    runner = web.AppRunner(make_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    print(json.dumps({"port": site._server.sockets[0].getsockname()[1]}), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
