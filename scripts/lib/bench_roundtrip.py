"""The `roundtrip` part of scripts/bench (issue 17, point 1: one round trip per answer).

A small answer — one vendor, one country, `vendor show` — should cost one statement. This part
counts the statements each one runs (captured from the server's statement log, as the api
part does), then measures the server uncached (`--cache-bytes 0`: every request is rendered)
under wrk beside pgbench running exactly those statements, BEGIN and COMMIT included if there
are any, at 1, 16 and 64 connections; target >= 0.7x. At 16 and 64 connections one path is
answered by renders shared between concurrent requests, so the target is judged on requests
that go round every key (every vendor, every country) instead. At 64 connections it also measures the
server with its default pool (4 connections) beside the bench's (16), since the pool bounds
how many answers are read at once. The CLI's `vendor show` is timed beside psql running the
statements it ran (each a new process and connection).

Called by bench.py (`part_roundtrip`) with the bench module, whose helpers it uses."""
import re
import subprocess
import time

ENDPOINTS = [
    # (label, request path, what the answer is, the table whose keys vary it)
    ("/v1/vendors/{id}", "/v1/vendors/{vendor}", "one vendor by key", "SELECT key FROM vendor ORDER BY key LIMIT 2000"),
    ("/v1/countries/{code}", "/v1/countries/JP", "one country", "SELECT code FROM country ORDER BY code"),
]


def run(b):
    b.log("==> roundtrip")
    if not b.supports("serve"):
        b.unavailable("roundtrip", "domicile serve (issue 6)")
        return
    serve_help = b.help_text("serve")
    no_cache = ["--cache-bytes", "0"] if "--cache-bytes" in serve_help else ["--cache-entries", "0"]
    pool = ["--max-connections", "16"]
    _, created = b.domicile("bench", "token", "create", "--name", "bench-roundtrip", stdout=subprocess.PIPE)
    token = created.stdout.decode().strip().splitlines()[-1]
    _, first = b.psql("bench", "-At", "-c", "SELECT key FROM vendor ORDER BY key LIMIT 1", stdout=subprocess.PIPE)
    vendor = first.stdout.decode().strip()

    # What each answer runs: one request with statement logging, after two others (which open
    # the pool's connection and check the token: the first may come before the server watches
    # the revision, and a token is remembered only from then on).
    server = b.Server(env={"PGOPTIONS": "-c log_min_duration_statement=0", "PGAPPNAME": "bench-roundtrip"}, extra=pool + no_cache)
    answers = []
    try:
        for label, template, what, _ in ENDPOINTS:
            path = template.replace("{vendor}", vendor)
            b.http_get(server.port, path, token)
            time.sleep(0.5)
            status, _ = b.http_get(server.port, path, token)
            if status != 200:
                b.NOTES.append(f"roundtrip: GET {path} answered {status}; left out")
                continue
            time.sleep(0.5)
            before = len(b.captured("bench-roundtrip"))
            b.http_get(server.port, path, token)
            time.sleep(0.5)
            statements = b.captured("bench-roundtrip")[before:]
            answers.append((label, path, what, statements))
    finally:
        server.stop()

    for label, path, what, statements in answers:
        b.add("roundtrip", f"GET {label} ({what}): statements per uncached answer", f"{len(statements)}", "", "", "1", "ok" if len(statements) == 1 else "MISSED")
    keys = {label: query for label, _, _, query in ENDPOINTS}
    for label, path, what, statements in answers:
        script = b.replay_file(statements, "roundtrip-" + re.sub(r"[^a-z0-9]+", "-", label.lower()))
        # Concurrent requests for one path share one render (the server's single flight), so
        # at 16 and 64 connections the same path measures that sharing, not the statement:
        # the "distinct keys" rows go round every key instead (the target is judged on them).
        _, listed = b.psql("bench", "-At", "-c", keys[label], stdout=subprocess.PIPE)
        base = path.rsplit("/", 1)[0]
        paths = [f"{base}/{key}" for key in listed.stdout.decode().split()]
        server = b.Server(extra=pool + no_cache)
        try:
            for connections in b.CONNECTIONS:
                rate, errors, _ = b.wrk(server.port, path, connections, token)
                tps, failed = b.pgbench(script, connections)
                shared = connections > 1
                verdict = "" if shared else "ok" if rate / tps >= 0.7 and errors == 0 else "MISSED"
                b.add("roundtrip", f"GET {label} uncached, c={connections}" + (", one key (renders shared)" if shared else ""),
                      f"{rate:,.0f} req/s" + (f", {errors} errors" if errors else ""),
                      f"pgbench {tps:,.0f} tps ({len(statements)} stmt)" + (f", {failed} failed" if failed else ""),
                      rate / tps, "" if shared else ">= 0.7x", verdict, seconds=1 / rate if connections == 1 and rate else None)
                if shared and len(paths) > connections:
                    rate, errors, _ = b.wrk(server.port, path, connections, token, paths=paths)
                    verdict = "ok" if rate / tps >= 0.7 and errors == 0 else "MISSED"
                    b.add("roundtrip", f"GET {label} uncached, c={connections}, {len(paths):,} distinct keys",
                          f"{rate:,.0f} req/s" + (f", {errors} errors" if errors else ""),
                          f"pgbench {tps:,.0f} tps ({len(statements)} stmt)", rate / tps, ">= 0.7x", verdict)
        finally:
            server.stop()
        # The default pool (4 connections) at the highest concurrency.
        server = b.Server(extra=no_cache)
        try:
            top = max(b.CONNECTIONS)
            rate, errors, _ = b.wrk(server.port, path, top, token, paths=paths if len(paths) > top else None)
            tps, _ = b.pgbench(script, top)
            b.add("roundtrip", f"GET {label} uncached, c={top}, default pool (4), distinct keys", f"{rate:,.0f} req/s" + (f", {errors} errors" if errors else ""),
                  f"pgbench {tps:,.0f} tps", rate / tps, ">= 0.7x", "ok" if rate / tps >= 0.7 and errors == 0 else "MISSED")
        finally:
            server.stop()

    # The command line: `vendor show KEY --format json`, a process and a connection each time,
    # beside psql running the statements it ran (the schema check included).
    b.compare_read("roundtrip", f"vendor show {vendor} --format json", ["vendor", "show", vendor, "--format", "json"])
    statements = b.captured(f"bench-capture-{b.capture_counter}")
    answer = [s for s in statements if "FROM vendor" in s]
    b.add("roundtrip", "vendor show: statements (reading the vendor / in all)", f"{len(answer)} / {len(statements)}", "", "", "1 / -",
          "ok" if len(answer) == 1 else "MISSED")
