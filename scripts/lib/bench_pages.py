"""The `pages` part of scripts/bench (issue 17 point 2): a page of 100 of each list endpoint,
uncached, beside pgbench running the statements the server ran for it (captured from
PostgreSQL's log, transaction control left out), at c = 1, 16 and 64. Target: >= 0.7x.

Called by bench.py as `bench_pages.part_pages(bench)` with bench.py's own module, whose
server, wrk, pgbench and statement capture it uses.
"""

import re
import time
import urllib.error
import urllib.request

PAGE = 100
# (label, first page, how many pages to follow before measuring: 0 is the first page)
CANDIDATES = [
    ("/v1/vendors?all=true&limit=100 (first page)", "/v1/vendors?all=true&limit=100", 0),
    ("/v1/vendors?all=true&limit=100&cursor=… (page 5)", "/v1/vendors?all=true&limit=100", 4),
    ("/v1/services?limit=100&cursor=… (page 2)", "/v1/services?all=true&limit=100", 1),
    ("/v1/countries?limit=100&cursor=… (page 2)", "/v1/countries?limit=100", 1),
    ("/v1/where?country=US&limit=100&cursor=… (page 2)", "/v1/where?country=US&limit=100", 1),
]


def get(port, path, token):
    """Status, Link's next URL (or None) and body."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            link = response.headers.get("Link")
            match = re.match(r"<([^>]*)>; rel=\"next\"", link or "")
            return response.status, match.group(1) if match else None, response.read()
    except urllib.error.HTTPError as error:
        return error.code, None, error.read()


def part_pages(bench):
    bench.log("==> pages")
    if "limit" not in bench.help_text("vendor", "list"):
        bench.unavailable("pages", "limit and cursor (issue 17 point 2)")
        return
    _, created = bench.domicile("bench", "token", "create", "--name", "bench-pages", stdout=bench.subprocess.PIPE)
    token = created.stdout.decode().strip().splitlines()[-1]
    pool = ["--max-connections", "16"]

    # One server with statement logging: the page's URL, and the statements it runs uncached.
    server = bench.Server(env={"PGOPTIONS": "-c log_min_duration_statement=0", "PGAPPNAME": "bench-pages"},
                          extra=pool + ["--cache-entries", "0"])
    pages = []
    try:
        for label, first, follow in CANDIDATES:
            path = first
            status, next_path, _ = get(server.port, path, token)
            for _ in range(follow):
                if status != 200 or next_path is None:
                    break
                path = next_path
                status, next_path, _ = get(server.port, path, token)
            if status != 200:
                bench.NOTES.append(f"GET {path} answered {status}; left out")
                continue
            get(server.port, path, token)  # warm
            time.sleep(0.5)
            before = len(bench.captured("bench-pages"))
            status, _, body = get(server.port, path, token)
            time.sleep(0.5)
            statements = bench.captured("bench-pages")[before:]
            pages.append((label, path, body, statements))
    finally:
        server.stop()

    server = bench.Server(extra=pool + ["--cache-entries", "0"])
    try:
        for label, path, body, statements in pages:
            replay = [s for s in statements if not s.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SET TRANSACTION"))]
            script = bench.replay_file(replay or ["SELECT 1;"], "pgbench-page-" + re.sub(r"[^a-z0-9]+", "-", label.lower())[:60])
            for connections in bench.CONNECTIONS:
                rate, errors, _ = bench.wrk(server.port, path, connections, token)
                tps, failed = bench.pgbench(script, connections)
                # One page asked for by every connection is rendered once for all those
                # waiting (the server's single flight): above c=1 that sharing is measured, so
                # only c=1 is judged against the target.
                shared = connections > 1
                verdict = "" if shared else "ok" if rate / tps >= 0.7 and errors == 0 else "MISSED"
                bench.add("pages", f"GET {label} uncached, c={connections}" + (" (one page: renders shared)" if shared else ""),
                          f"{rate:,.0f} req/s" + (f", {errors} errors" if errors else ""),
                          f"pgbench {tps:,.0f} tps ({len(statements)} stmt, {len(body):,} B)" + (f", {failed} failed" if failed else ""),
                          rate / tps, "" if shared else ">= 0.7x", verdict)
    finally:
        server.stop()
