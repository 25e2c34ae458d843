"""The `console` part of scripts/bench (called by scripts/lib/bench.py, whose helpers it is
handed as `bench`): the console's overview page and a vendor page beside their JSON
counterparts of the API, uncached (`--cache-entries 0`) and cached, under wrk at 1 and 16
connections, plus the SQL statements each runs once uncached (the console must add no
database work the API would not do: issue 15, point 5).

Counterparts: the vendor page /vendors/ven-00001 beside /v1/vendors/ven-00001; the
overview / (findings by severity, what falls due, countries) beside /v1/check, the heaviest
of the answers it summarizes. A page is signed in with the session cookie of POST /sign-in;
the API with the bearer token."""
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

CONNECTIONS = [1, 16]


def session_cookie(port, token):
    """Signs in through POST /sign-in (as the form does) and returns the Cookie header's value."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    body = urllib.parse.urlencode({"token": token}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/sign-in", data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(request, timeout=60)
        headers = response.headers
    except urllib.error.HTTPError as error:
        headers = error.headers
    cookies = [value.split(";", 1)[0] for key, value in headers.items() if key.lower() == "set-cookie"]
    if not cookies:
        raise SystemExit("POST /sign-in set no cookie")
    return "; ".join(cookies)


def get(port, path, headers, timeout):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wrk(bench, port, path, connections, header):
    cmd = ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{bench.ARGS.duration}s",
           "--latency", "--timeout", "30s", "-H", header, f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True).stdout.decode()
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    errors = 0
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors += int(bad.group(1)) if bad else 0
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors += sum(int(x) for x in sock.groups()) if sock else 0
    return rate, errors


def part(bench):
    bench.log("==> console")
    if not bench.supports("serve"):
        bench.unavailable("console", "domicile serve (issue 6)")
        return
    _, created = bench.domicile("bench", "token", "create", "--name", "bench-console", stdout=subprocess.PIPE)
    token = created.stdout.decode().strip().splitlines()[-1]
    organization = "?organization=bench-org"
    pairs = [
        ("overview", "/", "/v1/check" + organization),
        ("vendor page", "/vendors/ven-00001", "/v1/vendors/ven-00001"),
    ]
    timeout = bench.ARGS.timeout
    bearer = {"Authorization": "Bearer " + token}

    # Once uncached with statement logging: the status, the bytes and the SQL of each side.
    server = bench.Server(env={"PGOPTIONS": "-c log_min_duration_statement=0", "PGAPPNAME": "bench-console"},
                          extra=["--cache-entries", "0"])
    try:
        if get(server.port, "/sign-in", {}, 30)[0] != 200:
            bench.unavailable("console", "the web console (issue 15): GET /sign-in is not 200")
            return
        cookie = {"Cookie": session_cookie(server.port, token)}
        measured = []
        for name, page, api in pairs:
            sides = []
            for path, headers in ((page, cookie), (api, bearer)):
                get(server.port, path, headers, timeout)  # warm: connections opened, the session known
                time.sleep(0.5)
                before = len(bench.captured("bench-console"))
                started = time.perf_counter()
                status, body = get(server.port, path, headers, timeout)
                seconds = time.perf_counter() - started
                time.sleep(0.5)
                statements = [s for s in bench.captured("bench-console")[before:]
                              if not s.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SET TRANSACTION"))]
                sides.append((path, status, body, seconds, statements))
            (_, page_status, page_body, page_seconds, page_sql), (_, api_status, api_body, api_seconds, api_sql) = sides
            if page_status != 200 or api_status != 200:
                bench.NOTES.append(f"console {name}: GET {page} answered {page_status}, GET {api} {api_status}; left out")
                continue
            bench.add("console", f"GET {page} once, uncached: time, SQL statements", f"{bench.seconds_text(page_seconds)}, {len(page_sql)} stmt",
                      f"GET {api} {bench.seconds_text(api_seconds)}, {len(api_sql)} stmt", page_seconds / api_seconds,
                      "", "", seconds=page_seconds)
            measured.append((name, page, api, len(page_body), len(api_body), page_seconds, api_seconds))
    finally:
        server.stop()

    for cached, extra in ((False, ["--cache-entries", "0"]), (True, [])):
        server = bench.Server(extra=extra)
        try:
            cookie_header = "Cookie: " + session_cookie(server.port, token)
            for name, page, api, page_bytes, api_bytes, page_seconds, api_seconds in measured:
                if not cached and max(page_seconds, api_seconds) > 2:
                    bench.add("console", f"GET {page} uncached", f"{bench.seconds_text(page_seconds)} per request: too slow to load",
                              "", "-")
                    continue
                get(server.port, page, {"Cookie": cookie_header.split(": ", 1)[1]}, timeout)  # now cached (when cached)
                get(server.port, api, bearer, timeout)
                label = "cached" if cached else "uncached"
                for connections in CONNECTIONS:
                    rate, errors = wrk(bench, server.port, page, connections, cookie_header)
                    api_rate, api_errors = wrk(bench, server.port, api, connections, "Authorization: Bearer " + token)
                    bench.add("console", f"GET {page} {label}, c={connections}",
                              f"{rate:,.0f} req/s ({page_bytes:,} B)" + (f", {errors} errors" if errors else ""),
                              f"GET {api} {api_rate:,.0f} req/s ({api_bytes:,} B)" + (f", {api_errors} errors" if api_errors else ""),
                              rate / api_rate, "", "" if not errors else "ERRORS")
        finally:
            server.stop()
