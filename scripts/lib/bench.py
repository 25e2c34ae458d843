#!/usr/bin/env python3
"""The benchmark driver behind scripts/bench (which installs, builds, generates the registry
and starts the throwaway cluster, then runs this). Every figure of Domicile is measured beside
a baseline of PostgreSQL's own tools in the same run, and printed as one table of medians and
ratios. A part whose feature is missing from this build prints a "not available" line."""
import argparse
import csv
import glob
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ARGS = None
ROWS = []  # (part, measure, subject, baseline, ratio, target, verdict, per row, peak RSS)
NOTES = []
REGISTRY_ROWS = 0  # the generated registry's rows (counts.json): what "per row" divides by


def log(message):
    print(message, file=sys.stderr, flush=True)


def url(db):
    return f"postgresql://postgres@127.0.0.1:{ARGS.port}/{db}"


def run(cmd, env=None, stdout=subprocess.DEVNULL, cwd=None, check=True, timeout=None):
    """Runs cmd and returns (seconds, completed); a failure stops the benchmark (zero errors).
    completed.peak_rss is the command's peak resident memory in bytes, as GNU time reports
    it (%M) when /usr/bin/time is there, else the kernel's ru_maxrss of the child read with
    wait4. A child of this process starts from this process's own size (Python's
    subprocess vforks, and the kernel counts the parent's pages up to the exec), so
    ru_maxrss is at least this process's size, which grows over a run; GNU time forks
    from a small process, so its figure is the command's own."""
    measured = os.path.exists("/usr/bin/time")
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile() as peak:
        started = time.perf_counter()
        process = subprocess.Popen((["/usr/bin/time", "-f", "%M", "-o", peak.name] if measured else []) + list(cmd),
                                   env={**os.environ, **(env or {})}, stdout=out if stdout == subprocess.PIPE else stdout,
                                   stderr=err, cwd=cwd, start_new_session=True)
        expired = []
        timer = None
        if timeout:
            timer = threading.Timer(timeout, lambda: (expired.append(True), os.killpg(process.pid, signal.SIGKILL)))
            timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if timer:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        if expired:
            raise subprocess.TimeoutExpired(cmd, timeout)
        err.seek(0)
        out.seek(0)
        completed = subprocess.CompletedProcess(cmd, process.returncode, out.read() if stdout == subprocess.PIPE else None, err.read())
        reported = peak.read().decode(errors="replace").split()
    # GNU time writes "Command exited with non-zero status N" before the figure on a failure.
    completed.peak_rss = int(reported[-1]) * 1024 if measured and reported and reported[-1].isdigit() else usage.ru_maxrss * 1024
    if check and completed.returncode != 0:
        raise SystemExit(f"failed ({completed.returncode}): {' '.join(cmd)}\n{completed.stderr.decode(errors='replace')[-2000:]}")
    return seconds, completed


def psql(db, *args, **kwargs):
    return run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url(db), *args], **kwargs)


def domicile(db, *args, **kwargs):
    env = {"DATABASE_URL": url(db), "DOMICILE_HOME": os.getcwd(), "DOMICILE_ACTOR": "bench", **kwargs.pop("env", {})}
    return run([ARGS.bin, *args], env=env, **kwargs)


def fresh(name, template="bench_template"):
    psql("postgres", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", "-c", f"CREATE DATABASE {name} TEMPLATE {template}",
         env={"PGOPTIONS": "-c client_min_messages=warning"})


def median(values):
    return statistics.median(values)


def seconds_text(value):
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def mib(value):
    return f"{value / 2**20:,.0f} MiB"


def per_row(seconds):
    """A time per row of the generated registry: a cost that grows faster than the registry
    shows as a larger figure at a larger --scale."""
    if not REGISTRY_ROWS or seconds is None:
        return ""
    micros = seconds / REGISTRY_ROWS * 1e6
    return f"{micros:,.3f} µs" if micros >= 0.1 else f"{micros * 1000:,.3f} ns"


def add(part, measure, subject, baseline, ratio, target="", verdict="", seconds=None, rss=""):
    ROWS.append((part, measure, subject, baseline, f"{ratio:.2f}x" if isinstance(ratio, float) else ratio, target, verdict,
                 per_row(seconds), rss))
    log(f"    {part:8} {measure}: {subject} | {baseline} | {ROWS[-1][4]} {target} {verdict} {ROWS[-1][7]} {rss}")


def unavailable(part, what):
    ROWS.append((part, what, "not available", "", "", "", "", "", ""))
    log(f"    {part}: {what}: not available")


def supports(*args):
    """Whether this build has the subcommand (its own --help, not the root's, answers)."""
    return re.search(r"USAGE: domicile " + re.escape(" ".join(args)) + r"\b", help_text(*args)) is not None


def help_text(*args):
    completed = subprocess.run([ARGS.bin, *args, "--help"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return completed.stdout.decode(errors="replace") if completed.returncode == 0 else ""


# ------------------------------------------------------------------ capturing the SQL a command runs

PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')")
STEP = re.compile(r"^duration: [0-9.]+ ms  (?:statement|execute [^:]*): (.*)$", re.S)


def log_lines():
    rows = []
    for path in sorted(glob.glob(os.path.join(ARGS.work, "log", "*.csv"))):
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            rows.extend(csv.reader(f))
    return rows


def captured(application):
    """The statements (with parameters inlined as literals) that sessions named `application` ran."""
    statements = []
    for row in log_lines():
        if len(row) < 23 or row[22] != application:
            continue
        match = STEP.match(row[13])
        if not match:
            continue
        sql = match.group(1).strip()
        params = {}
        if row[14].startswith("parameters: "):
            params = {int(n): value for n, value in PARAM.findall(row[14])}
        if params:
            sql = re.sub(r"\$(\d+)\b", lambda m: params.get(int(m.group(1)), m.group(0)), sql)
        statements.append(sql.rstrip(";") + ";")
    return statements


capture_counter = 0


def capture(fn):
    """Runs fn(env) once with statement logging on for its sessions; returns the statements."""
    global capture_counter
    capture_counter += 1
    application = f"bench-capture-{capture_counter}"
    fn({"PGOPTIONS": "-c log_min_duration_statement=0", "PGAPPNAME": application})
    time.sleep(0.3)  # the logging collector writes asynchronously
    return captured(application)


# ------------------------------------------------------------------ parts

def part_import():
    log("==> import")
    copy_dir = os.path.join(ARGS.data, "copy")
    files = sorted(glob.glob(os.path.join(ARGS.data, "import", "*")))
    counts = json.load(open(os.path.join(ARGS.data, "counts.json")))
    rows = sum(counts.values())
    runs = ARGS.import_runs
    base, subject, again = [], [], []
    peak = base_peak = 0
    for i in range(runs):
        fresh("bench_copy")
        seconds, completed = psql("bench_copy", "-f", "load.sql", cwd=copy_dir)
        base.append(seconds)
        base_peak = max(base_peak, completed.peak_rss)
        fresh("bench")
        total = 0.0
        for path in files:
            seconds, completed = domicile("bench", "import", path)
            total += seconds
            peak = max(peak, completed.peak_rss)
        subject.append(total)
        if ARGS.scale < 0.5 or i == 0 and ARGS.reimport:
            again.append(sum(domicile("bench", "import", path)[0] for path in files))
        log(f"    run {i + 1}: \\copy {base[-1]:.2f} s, import {subject[-1]:.2f} s" + (f", re-import {again[-1]:.2f} s" if again else ""))
    # the same rows, and as many audit rows, on both sides
    query = "SELECT string_agg(t || '=' || n, ' ' ORDER BY t) FROM (SELECT 'audit_log' t, count(*) n FROM audit_log UNION ALL " + \
        " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in sorted(counts)) + ") c"
    sides = [psql(db, "-At", "-c", query, stdout=subprocess.PIPE)[1].stdout.decode().strip() for db in ("bench_copy", "bench")]
    if sides[0] != sides[1]:
        NOTES.append(f"import and \\copy differ in rows: {sides[1]} vs {sides[0]}")
    b, s = median(base), median(subject)
    add("import", f"{rows:,} rows, {len(files)} files (all new)", f"{seconds_text(s)} ({rows / s:,.0f} rows/s)",
        f"psql \\copy {seconds_text(b)}", s / b, "<= 2x", "ok" if s / b <= 2 else "MISSED", seconds=s,
        rss=f"{mib(peak)} / psql {mib(base_peak)}")
    if again:
        r = median(again)
        add("import", "the same files again (no change)", seconds_text(r), f"psql \\copy {seconds_text(b)}", r / b, seconds=r)
    if len(files) > 1 and "several" in help_text("import"):
        # The same files in one command (one transaction, one file in memory at a time): its
        # peak should be the largest file's, not grow with the number of files.
        fresh("bench_many")
        seconds, completed = domicile("bench_many", "import", *files)
        add("import", f"{rows:,} rows, {len(files)} files in one command (one transaction)", seconds_text(seconds),
            f"psql \\copy {seconds_text(b)}", seconds / b, seconds=seconds,
            rss=f"{mib(completed.peak_rss)} / one file at a time {mib(peak)}")
        psql("postgres", "-c", "DROP DATABASE IF EXISTS bench_many WITH (FORCE)")
    psql("postgres", "-c", "DROP DATABASE IF EXISTS bench_copy WITH (FORCE)")
    psql("bench", "-c", "VACUUM ANALYZE")


def replay_file(statements, name):
    path = os.path.join(ARGS.work, name + ".sql")
    with open(path, "w") as f:
        f.write("\n".join(statements) + "\n")
    return path


def compare_read(part, label, args, target=None, limit=None, codes=(0,)):
    """Times `domicile ARGS` (writing to a file) beside psql running the same SQL (writing
    its rows to a file), median of --runs each. The first run, with statement logging, finds
    the SQL; when it takes longer than --slow seconds it is the only run (timed, logging a
    handful of statements costs nothing measurable), and one over --timeout is stopped."""
    out = os.path.join(ARGS.work, "out")
    peaks = {"domicile": 0, "psql": 0}

    def subject_run(env=None):
        with open(out, "wb") as f:
            seconds, completed = domicile("bench", *args, env=env or {}, stdout=f, check=False, timeout=ARGS.timeout)
        if completed.returncode not in codes:
            raise SystemExit(f"failed ({completed.returncode}): domicile {' '.join(args)}\n{completed.stderr.decode(errors='replace')[-2000:]}")
        peaks["domicile"] = max(peaks["domicile"], completed.peak_rss)
        return seconds

    def base_run(script):
        seconds, completed = psql("bench", "--csv", "-f", script, "-o", out + ".psql")
        peaks["psql"] = max(peaks["psql"], completed.peak_rss)
        return seconds

    first = []
    try:
        statements = capture(lambda env: first.append(subject_run(env)))
    except subprocess.TimeoutExpired:
        statements = captured(f"bench-capture-{capture_counter}")
        first = None
    if not statements:
        NOTES.append(f"{label}: no SQL captured")
        return
    script = replay_file(statements, re.sub(r"[^a-z0-9]+", "-", label.lower()))
    goal = (f"<= {target}x" if target else "") + (f", < {limit:g} s" if limit else "")
    if first is None:
        b = base_run(script)
        add(part, label, f"> {ARGS.timeout} s (stopped)", f"psql {seconds_text(b)} ({len(statements)} stmt)", "-", goal, "MISSED",
            rss=f"psql {mib(peaks['psql'])}")
        return
    subject, base = [], []
    runs = 1 if first[0] > ARGS.slow else ARGS.runs
    if runs == 1 and ARGS.runs > 1:
        subject = first
    for _ in range(runs):
        if len(subject) < runs:
            subject.append(subject_run())
        base.append(base_run(script))
    s, b = median(subject), median(base)
    verdict = ""
    if target:
        verdict = "ok" if s / b <= target and (limit is None or s < limit) else "MISSED"
    note = " (1 run)" if runs == 1 and ARGS.runs > 1 else ""
    add(part, label, seconds_text(s) + note, f"psql {seconds_text(b)} ({len(statements)} stmt)", s / b, goal, verdict,
        seconds=s, rss=f"{mib(peaks['domicile'])} / psql {mib(peaks['psql'])}")


def part_where():
    log("==> where")
    if not supports("where"):
        unavailable("where", "domicile where (issue 4)")
        return
    text = help_text("where")
    shapes = [("where (all, as of today)", ["where"])]
    candidates = [
        ("--country", ["where", "--country", "US"]),
        ("--category", ["where", "--category", "user.contact"]),
        ("--service", ["where", "--service", "svc-00001"]),
        ("--vendor", ["where", "--vendor", "ven-00001"]),
        ("--role", ["where", "--role", "storage", "--country", "JP"]),
        ("--region", ["where", "--region", "aws/ap-northeast-1"]),
        ("--as-of", ["where", "--as-of", "2019-06-01", "--category", "user.contact"]),
        ("--transitive", ["where", "--transitive", "--service", "svc-00001"]),
        ("--by", ["where", "--by", "country"]),
        ("--by", ["where", "--by", "service"]),
    ]
    for flag, args in candidates:
        if flag in text:
            shapes.append((" ".join(args), args))
    fmt = ["--format", "csv"] if "--format" in text else []
    for label, args in shapes:
        compare_read("where", label, args + fmt)
    if supports("diff"):
        compare_read("where", "diff --from 2019-01-01 --to 2020-01-01", ["diff", "--from", "2019-01-01", "--to", "2020-01-01"])


def part_reports():
    log("==> reports")
    if not supports("report"):
        unavailable("reports", "domicile report (issue 5)")
        return
    # The generated registry holds several organizations: a report is about one of them.
    organization = ["--organization", "bench-org"] if "--organization" in help_text("report") else []
    for name in ["residency", "vendors", "disclosure", "ropa"]:
        # The generated registry has gaps on purpose: the disclosure is written as a draft.
        draft = ["--allow-findings"] if name == "disclosure" and "--allow-findings" in help_text("report") else []
        compare_read("reports", f"report {name}", ["report", name] + organization + draft, target=1.5, limit=2.0)
    if supports("check"):
        # check exits 1 when it finds something: that is its answer, not an error
        compare_read("reports", "check", ["check"] + (organization if "--organization" in help_text("check") else []), codes=(0, 1))


def part_cli():
    log("==> cli")
    runs = max(ARGS.runs, 20)
    subject = [run([ARGS.bin, "--version"]) for _ in range(runs)]
    base = [run(["psql", "--version"]) for _ in range(runs)]
    s, b = median([x[0] for x in subject]), median([x[0] for x in base])
    add("cli", "domicile --version (start-up)", seconds_text(s), f"psql --version {seconds_text(b)}", s / b,
        rss=f"{mib(max(x[1].peak_rss for x in subject))} / psql {mib(max(x[1].peak_rss for x in base))}")


# Issue 17's memory bounds for the server: idle, and under load (plus the cache budget).
IDLE_BOUND = 40 * 2**20
LOAD_BOUND = 60 * 2**20
CACHE_BUDGET = 64 * 2**20  # --cache-bytes given to the cached server (serve's default)


def memory(measure, rss, bound, baseline=""):
    """A line of the memory part: the figure against its bound."""
    add("memory", measure, mib(rss), baseline, "", f"<= {mib(bound)}", "ok" if rss <= bound else "MISSED")


def settle(server):
    """Waits 5 s after a load: what the server keeps, not what it is still freeing."""
    time.sleep(5)


API_CANDIDATES = [
    # (label, path template in /openapi.yaml, request path)
    ("/v1/services", "/v1/services", "/v1/services"),
    ("/v1/vendors", "/v1/vendors", "/v1/vendors"),
    ("/v1/vendors/{id}", "/v1/vendors/{id}", "/v1/vendors/ven-00001"),
    ("/v1/countries", "/v1/countries", "/v1/countries"),
    ("/v1/countries/{code}", "/v1/countries/{code}", "/v1/countries/JP"),
    ("/v1/where?country=US", "/v1/where", "/v1/where?country=US"),
    ("/v1/reports/residency", "/v1/reports/{kind}", "/v1/reports/residency?format=json&organization=bench-org"),
    ("/v1/reports/vendors", "/v1/reports/{kind}", "/v1/reports/vendors?format=json&organization=bench-org"),
    ("/v1/check", "/v1/check", "/v1/check?organization=bench-org"),
]
CONNECTIONS = [1, 16, 64]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path, token=None, timeout=120):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Server:
    """`domicile serve` on a free port, as a process of its own."""

    def __init__(self, env=None, extra=()):
        self.port = free_port()
        self.stderr = open(os.path.join(ARGS.work, f"serve-{self.port}.log"), "wb")
        environment = {**os.environ, "DATABASE_URL": url("bench"), "DOMICILE_HOME": os.getcwd(), **(env or {})}
        self.process = subprocess.Popen([ARGS.bin, "serve", "--port", str(self.port), *extra], env=environment,
                                        stdout=subprocess.DEVNULL, stderr=self.stderr)
        for _ in range(300):
            try:
                if http_get(self.port, "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"domicile serve exited with {self.process.returncode}; see {self.stderr.name}")
            time.sleep(0.1)
        raise SystemExit("domicile serve did not answer /healthz")

    def rss(self, field="VmRSS"):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    def peak(self):
        """The most this server has been resident since it started (the kernel's VmHWM)."""
        return self.rss("VmHWM")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wrk(port, path, connections, token=None, sampler=None, paths=None):
    """Requests per second of wrk at `connections`; errors stop nothing but are counted.
    With `paths`, the requests go round them (each wrk thread from its own place), so
    concurrent requests ask for different answers: the server renders each once for all
    requests waiting for it, so the same path at 16 connections measures that sharing."""
    # wrk gives up on a response after 2 s by default and counts it as an error; a 20 MB
    # report at 64 connections takes longer than that to arrive without anything failing.
    threads = min(connections, 2)
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{ARGS.duration}s", "--latency", "--timeout", "30s"]
    if token:
        cmd += ["-H", "Authorization: Bearer " + token]
    if paths:
        script = os.path.join(ARGS.work, f"wrk-paths-{len(paths)}.lua")
        with open(script, "w") as f:
            f.write("local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
                    "local threads = 0\n"
                    "function setup(thread) thread:set('start', threads * math.floor(#paths / " + str(threads) + ")); threads = threads + 1 end\n"
                    "function init(args) i = start or 0 end\n"
                    "function request() i = i + 1; return wrk.format(nil, paths[(i % #paths) + 1]) end\n")
        cmd += ["-s", script]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        if sampler:
            peak = max(peak, sampler())
        time.sleep(0.2)
    out = process.stdout.read().decode()
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    errors = 0
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors += int(bad.group(1)) if bad else 0
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors += sum(int(x) for x in sock.groups()) if sock else 0
    return rate, errors, peak


def pgbench(script, connections):
    cmd = ["pgbench", "-n", "-f", script, "-c", str(connections), "-j", str(min(connections, 2)), "-T", str(ARGS.duration), url("bench")]
    _, completed = run(cmd, stdout=subprocess.PIPE)
    out = completed.stdout.decode()
    match = re.search(r"tps = ([0-9.]+) \((?:without initial connection time|excluding connections establishing)\)", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    return float(match.group(1)), int(failed.group(1)) if failed else 0


class Nginx:
    """nginx serving the bodies Domicile answered, from files, on a free port."""

    def __init__(self, bodies):
        self.root = os.path.join(ARGS.work, "nginx")
        os.makedirs(os.path.join(self.root, "www"), exist_ok=True)
        os.chmod(ARGS.work, 0o755)
        for name, body in bodies.items():
            with open(os.path.join(self.root, "www", name), "wb") as f:
                f.write(body)
        self.port = free_port()
        conf = os.path.join(self.root, "nginx.conf")
        user = "user root;" if os.getuid() == 0 else ""
        with open(conf, "w") as f:
            f.write(f"""{user}
worker_processes auto;
pid {self.root}/nginx.pid;
error_log {self.root}/error.log;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type application/json;
    client_body_temp_path {self.root}/tmp;
    proxy_temp_path {self.root}/tmp;
    fastcgi_temp_path {self.root}/tmp;
    uwsgi_temp_path {self.root}/tmp;
    scgi_temp_path {self.root}/tmp;
    server {{
        listen 127.0.0.1:{self.port};
        root {self.root}/www;
    }}
}}
""")
        os.makedirs(os.path.join(self.root, "tmp"), exist_ok=True)
        binary = "nginx" if subprocess.run(["which", "nginx"], stdout=subprocess.DEVNULL).returncode == 0 else "/usr/sbin/nginx"
        self.process = subprocess.Popen([binary, "-c", conf, "-p", self.root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("nginx did not start; see " + os.path.join(self.root, "error.log"))

    def stop(self):
        self.process.terminate()
        self.process.wait()


def part_api():
    log("==> api")
    if not supports("serve"):
        unavailable("api", "domicile serve (issue 6)")
        return
    _, created = domicile("bench", "token", "create", "--name", "bench-load", stdout=subprocess.PIPE)
    token = created.stdout.decode().strip().splitlines()[-1]
    serve_help = help_text("serve")
    no_cache = ["--cache-entries", "0"] if "--cache-entries" in serve_help else None
    pool = ["--max-connections", "16"] if "--max-connections" in serve_help else []
    # A report at --scale 1 takes longer than the default 30 s request timeout.
    pool += ["--request-timeout", str(min(ARGS.timeout, 600))] if "--request-timeout" in serve_help else []
    # The cache budget, stated so the memory bound (60 MiB + budget) is known.
    budget = CACHE_BUDGET if "--cache-bytes" in serve_help else None
    cached = ["--cache-bytes", f"{budget // 2**20}M"] if budget else []

    # One server with statement logging: what each endpoint runs, and the bytes it answers.
    server = Server(env={"PGOPTIONS": "-c log_min_duration_statement=0", "PGAPPNAME": "bench-serve"},
                    extra=pool + (no_cache or []))
    document = http_get(server.port, "/openapi.yaml")[1].decode(errors="replace")
    endpoints = []
    idle_start = server.rss()
    memory("domicile serve idle after start", idle_start, IDLE_BOUND)
    for label, template, path in API_CANDIDATES:
        if not re.search(r"^  " + re.escape(template) + ":", document, re.M):
            unavailable("api", f"GET {label}")
            continue
        try:
            status, _ = http_get(server.port, path, token, timeout=ARGS.timeout)  # warm: connections opened
            if status != 200:
                NOTES.append(f"GET {path} answered {status}; left out")
                continue
            time.sleep(0.5)
            before = len(captured("bench-serve"))
            started = time.perf_counter()
            status, body = http_get(server.port, path, token, timeout=ARGS.timeout)
            seconds = time.perf_counter() - started
        except OSError as error:
            add("api", f"GET {label}", f"no answer within {ARGS.timeout} s ({error})", "", "-", "", "MISSED")
            continue
        time.sleep(0.5)
        statements = captured("bench-serve")[before:]
        endpoints.append((label, path, body, statements, seconds))
    memory("domicile serve peak (VmHWM): one request to each endpoint, uncached", server.peak(), LOAD_BOUND)
    settle(server)
    memory("domicile serve 5 s after one request to each endpoint (reports included)", server.rss(), LOAD_BOUND)
    server.stop()

    idle_rss = peak_rss = 0
    if no_cache is None:
        NOTES.append("domicile serve has no --cache-entries switch: uncached figures are the first answer of each endpoint only")
    else:
        server = Server(extra=pool + no_cache)
        for label, path, body, statements, seconds in endpoints:
            if seconds > 2:
                add("api", f"GET {label} uncached", f"{seconds_text(seconds)} per request: too slow to load", "", "-", ">= 0.7x", "MISSED")
                continue
            script = replay_file([s for s in statements if not s.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SET TRANSACTION"))]
                                 or ["SELECT 1;"], "pgbench-" + re.sub(r"[^a-z0-9]+", "-", label.lower()))
            for connections in CONNECTIONS:
                rate, errors, peak = wrk(server.port, path, connections, token, server.rss if connections == max(CONNECTIONS) else None)
                peak_rss = max(peak_rss, peak)
                tps, failed = pgbench(script, connections)
                # Concurrent requests for one path share one render (the server's single
                # flight): above c=1 this measures that sharing, so it is not judged against
                # the target (the roundtrip part's distinct-key rows are).
                shared = connections > 1
                verdict = "" if shared else "ok" if rate / tps >= 0.7 and errors == 0 else "MISSED"
                add("api", f"GET {label} uncached, c={connections}" + (" (one path: renders shared)" if shared else ""),
                    f"{rate:,.0f} req/s" + (f", {errors} errors" if errors else ""),
                    f"pgbench {tps:,.0f} tps ({len(statements)} stmt)" + (f", {failed} failed" if failed else ""),
                    rate / tps, "" if shared else ">= 0.7x", verdict, seconds=1 / rate if connections == 1 and rate else None)
        memory("domicile serve peak (VmHWM): every endpoint uncached under wrk", server.peak(), LOAD_BOUND)
        settle(server)
        memory("domicile serve 5 s after the uncached load", server.rss(), LOAD_BOUND)
        server.stop()

    server = Server(extra=pool + cached)
    idle_rss = server.rss()
    health = http_get(server.port, "/healthz")[1]
    nginx = Nginx({**{f"e{i}.json": endpoint[2] for i, endpoint in enumerate(endpoints)}, "healthz.json": health})
    try:
        # The ceiling of the HTTP stack itself: /healthz answers a fixed body with no token,
        # no cache and no database, through the same server and middleware (access log
        # included). Cached answers cannot be faster than this; no target, a reference.
        for connections in CONNECTIONS:
            rate, errors, _ = wrk(server.port, "/healthz", connections)
            static, _, _ = wrk(nginx.port, "/healthz.json", connections)
            add("api", f"GET /healthz (the HTTP stack's ceiling), c={connections}", f"{rate:,.0f} req/s" + (f", {errors} errors" if errors else ""),
                f"nginx {static:,.0f} req/s ({len(health):,} B)", rate / static, "", "")
        for i, (label, path, body, _, _) in enumerate(endpoints):
            http_get(server.port, path, token, timeout=ARGS.timeout)  # now cached
            for connections in CONNECTIONS:
                rate, errors, peak = wrk(server.port, path, connections, token, server.rss if connections == max(CONNECTIONS) else None)
                peak_rss = max(peak_rss, peak)
                static, static_errors, _ = wrk(nginx.port, f"/e{i}.json", connections)
                verdict = "ok" if rate / static >= 0.5 and errors == 0 else "MISSED"
                add("api", f"GET {label} cached, c={connections}", f"{rate:,.0f} req/s" + (f", {errors} errors" if errors else ""),
                    f"nginx {static:,.0f} req/s ({len(body):,} B)", rate / static, ">= 0.5x", verdict)
        settle(server)  # load over: what the server keeps
        after_rss = server.rss()
        bound = LOAD_BOUND + (budget or CACHE_BUDGET)
        memory("domicile serve peak (VmHWM): every endpoint cached under wrk", server.peak(), bound,
               f"idle {mib(idle_rss)} before, {mib(after_rss)} 5 s after the load")
        memory("domicile serve 5 s after the cached load", after_rss, bound)
    finally:
        nginx.stop()
        server.stop()
    add("memory", f"domicile serve RSS under load (c={max(CONNECTIONS)}, sampled)", f"{peak_rss / 2**20:,.0f} MiB",
        f"idle {idle_rss / 2**20:,.0f} MiB", "")


def part_console():
    import bench_console  # the console pages beside their JSON (scripts/lib/bench_console.py)
    bench_console.part(sys.modules[__name__])


def part_roundtrip():
    import bench_roundtrip  # scripts/lib/bench_roundtrip.py: small answers, one statement each
    bench_roundtrip.run(sys.modules[__name__])


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        memory = int(f.readline().split()[1]) / 2**20
    server = psql("postgres", "-At", "-c", "SHOW server_version", stdout=subprocess.PIPE)[1].stdout.decode().strip()
    load = open("/proc/loadavg").read().split()[:3]
    return (f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB, PostgreSQL {server} (fsync off), "
            f"load average at the end {' '.join(load)}")


def print_table():
    header = ("part", "measure", "domicile", "baseline", "ratio", "target", "", "per row", "peak RSS (domicile / baseline)")
    widths = [max(len(str(row[i])) for row in ROWS + [header]) for i in range(len(header))]
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}")
    print(f"scale {ARGS.scale:g}; median of {ARGS.runs} runs ({ARGS.import_runs} for the import); "
          "ratio = domicile time ÷ baseline time, or domicile throughput ÷ baseline throughput")
    for row in [header] + ROWS:
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    for note in NOTES:
        print("note: " + note)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    for name in ["bin", "data", "work", "port", "pgbin", "only", "scale"]:
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--import-runs", type=int)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--slow", type=float, default=10.0)
    parser.add_argument("--reimport", action="store_true", help="also time a no-change re-import at --scale >= 0.5")
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--json", help="also write the table here (for --growth)")
    ARGS = parser.parse_args()
    ARGS.scale = float(ARGS.scale)
    if ARGS.import_runs is None:
        ARGS.import_runs = ARGS.runs if ARGS.scale < 0.2 else 1
    os.environ["PATH"] = ARGS.pgbin + ":" + os.environ["PATH"]
    parts = ARGS.only.split(",")
    global REGISTRY_ROWS
    REGISTRY_ROWS = sum(json.load(open(os.path.join(ARGS.data, "counts.json"))).values())

    psql("postgres", "-c", "CREATE DATABASE bench_template")
    domicile("bench_template", "migrate")
    domicile("bench_template", "seed")
    if "import" in parts:
        part_import()
    else:
        log("==> loading the registry (import not measured)")
        fresh("bench")
        for path in sorted(glob.glob(os.path.join(ARGS.data, "import", "*"))):
            domicile("bench", "import", path)
        psql("bench", "-c", "VACUUM ANALYZE")
    import bench_pages  # issue 17 point 2: pages of the list endpoints
    for name, fn in [("where", part_where), ("reports", part_reports), ("api", part_api), ("roundtrip", part_roundtrip),
                     ("pages", lambda: bench_pages.part_pages(sys.modules[__name__])), ("console", part_console), ("cli", part_cli)]:
        if name in parts:
            try:
                fn()
            except (Exception, SystemExit) as error:  # one part failing leaves the others' figures
                ROWS.append((name, "FAILED", str(error).splitlines()[0][:100] if str(error) else type(error).__name__, "", "", "", "ERROR", "", ""))
                log(f"    {name} failed: {error}")
    print_table()
    if ARGS.json:
        with open(ARGS.json, "w") as f:
            json.dump({"scale": ARGS.scale, "rows": REGISTRY_ROWS, "table": ROWS}, f)


def growth(paths):
    """`bench.py --growth A.json B.json …`: the time per row (and peak memory) of every
    measure at each scale side by side, and how much the time per row grew from the smallest
    scale to the largest: about 1x is linear, more is a cost that grows faster than the registry."""
    runs = sorted((json.load(open(path)) for path in paths), key=lambda run: run["scale"])
    order, figures = [], {}
    for run in runs:
        for row in run["table"]:
            # the import's label names its row and file counts, which differ by scale
            key = (row[0], re.sub(r"^[0-9,]+ rows, ([0-9]+ files)?", "", row[1]))
            if key not in figures:
                order.append(key)
                figures[key] = {}
            figures[key][run["scale"]] = row
    scales = [run["scale"] for run in runs]

    def micro(text):
        match = re.match(r"([0-9.,]+) (µs|ns)", text or "")
        return float(match.group(1).replace(",", "")) / (1000 if match.group(2) == "ns" else 1) if match else None

    header = ["part", "measure"] + [f"per row at {s:g}" for s in scales] + [f"growth {scales[0]:g} → {scales[-1]:g}"] + \
        [f"peak RSS at {s:g}" for s in scales]
    table = []
    for key in order:
        rows = figures[key]
        cells = [rows[s][7] if s in rows else "" for s in scales]
        first, last = micro(cells[0]), micro(cells[-1])
        grown = f"{last / first:.2f}x" if first and last else ""
        memory = [(rows[s][8] if s in rows else "") or (rows[s][2] if s in rows and key[0] == "memory" else "") for s in scales]
        if not any(cells) and not any(memory):
            continue
        table.append(list(key) + cells + [grown] + memory)
    sizes = ", ".join(f"{run['rows']:,} at {run['scale']:g}" for run in runs)
    print(f"growth: registry rows {sizes}; "
          "per row = time ÷ registry rows (uncached API at c=1: 1 ÷ req/s ÷ rows)")
    widths = [max(len(str(row[i])) for row in table + [header]) for i in range(len(header))]
    for row in [header] + table:
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--growth":
        growth(sys.argv[2:])
    else:
        main()
