#!/usr/bin/env python3
"""Opens N connections to an HTTP server, then sends the same GET on all of them at once and
prints, as JSON, each answer's status and the time from the moment the requests were sent
until each answer was read whole: {"statuses": {...}, "p50": s, "p99": s, "max": s}.

Connecting first and sending together measures the server, not the client: a burst of curl
processes mostly measures how fast a 2-core machine starts 64 processes.

    burst.py URL TOKEN [N]
"""
import asyncio
import json
import sys
import time
from urllib.parse import urlsplit


async def fetch(reader, writer, request, start_event):
    await start_event.wait()
    begin = time.perf_counter()
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    else:
        await reader.read()  # chunked or close-delimited: read until the server closes
    elapsed = time.perf_counter() - begin
    writer.close()
    return status, elapsed


async def main(url, token, count):
    parts = urlsplit(url)
    target = parts.path + (("?" + parts.query) if parts.query else "")
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
        f"Authorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    ).encode()
    connections = [await asyncio.open_connection(parts.hostname, parts.port) for _ in range(count)]
    start = asyncio.Event()
    tasks = [asyncio.create_task(fetch(r, w, request, start)) for r, w in connections]
    await asyncio.sleep(0)
    start.set()
    results = await asyncio.gather(*tasks)
    times = sorted(t for _, t in results)
    statuses = {}
    for status, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(json.dumps({"statuses": statuses, "p50": round(pick(0.50), 4), "p99": round(pick(0.99), 4),
                      "max": round(times[-1], 4)}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1))
