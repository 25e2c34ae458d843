#!/usr/bin/env bash
# End-to-end: `domicile serve` on a free port against a fresh database holding the PERSONA
# example (DATABASE_URL is the test cluster, set by scripts/test). Checks health, auth and
# the access log, runs schemathesis (pinned, from PyPI, in a cached venv) against
# /openapi.yaml with a token, every check on, for at least 10,000 generated cases — any
# 5xx, any response that violates the document, any request valid by the document that is
# refused and any invalid one that is accepted fails — then checks the server's memory
# against its cache budget under many distinct answers, a burst of 64 connections after a
# write, and stops the server with SIGTERM while a request is in flight, which must still be
# answered.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/postgres.sh

schemathesis_version=4.32.5
admin="$DATABASE_URL"
db="domicile_api_e2e_$$"
work=$(mktemp -d /tmp/domicile-api-e2e.XXXXXX)
server=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; fi
    psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "api end-to-end: $*" >&2; [ -f "$work/log" ] && tail -n 20 "$work/log" >&2; exit 1; }

psql "$admin" -qc "CREATE DATABASE $db"
url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$admin" "$db")
bin="$(swift build --show-bin-path)/domicile"
export DOMICILE_HOME="$PWD" DOMICILE_ACTOR=e2e
"$bin" migrate --database-url "$url" >/dev/null
"$bin" seed --example persona --database-url "$url" >/dev/null
# one evidence file, so /v1/evidence/{id} answers 200 as well as 404
printf '%%PDF-1.4 e2e evidence\n' >"$work/evidence.pdf"
"$bin" evidence add "$work/evidence.pdf" --vendor aws --database-url "$url" >/dev/null
token=$("$bin" token create --name e2e --database-url "$url" 2>/dev/null)
reports_token=$("$bin" token create --name e2e-reports --scope reports --database-url "$url" 2>/dev/null)

cache_mib=16
serve_on_free_port "$work/out" "$work/log" "$bin" serve --database-url "$url" --cache-bytes "${cache_mib}M" || fail "serve did not start"
grep -q "listening on http://127.0.0.1:$port" "$work/out" || fail "serve did not say where it listens"
base="http://127.0.0.1:$port"

status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
[ "$(status "$base/healthz")" = 200 ] || fail "/healthz is not 200"
[ "$(status "$base/readyz")" = 200 ] || fail "/readyz is not 200"
[ "$(status "$base/v1/vendors")" = 401 ] || fail "no token is not 401"
[ "$(status -H "Authorization: Bearer $reports_token" "$base/v1/vendors")" = 403 ] || fail "a reports token on /v1/vendors is not 403"
[ "$(status -H "Authorization: Bearer $token" "$base/v1/vendors/aws")" = 200 ] || fail "/v1/vendors/aws is not 200"
etag=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $token" "$base/v1/vendors" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
[ -n "$etag" ] || fail "no ETag"
[ "$(status -H "Authorization: Bearer $token" -H "If-None-Match: $etag" "$base/v1/vendors")" = 304 ] || fail "If-None-Match is not 304"
curl -s "$base/openapi.yaml" | cmp -s - docs/openapi.yaml || fail "/openapi.yaml is not docs/openapi.yaml as is"
head=$(curl -s -I "$base/healthz" | tr -d '\r')
echo "$head" | grep -q "^HTTP/1.1 200" || fail "HEAD /healthz is not 200"
echo "$head" | grep -qi "^x-content-type-options: nosniff" || fail "no X-Content-Type-Options: nosniff"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X FOO "$base/healthz")" = 400 ] || fail "method FOO is not 400"
curl -s -X FOO "$base/healthz" | grep -q '"code":"request.malformed"' || fail "method FOO is not the JSON error"
rss_idle=$(ps -o rss= -p "$server" | tr -d ' ')

# schemathesis from PyPI, pinned, in a venv kept between runs
venv="${DOMICILE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/domicile}/schemathesis-$schemathesis_version"
if [ ! -x "$venv/bin/st" ]; then
    echo "==> installing schemathesis $schemathesis_version into $venv" >&2
    rm -rf "$venv"
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        # Debian's python3 needs python3-venv for ensurepip
        sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >&2
        rm -rf "$venv"
        python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install -q "schemathesis==$schemathesis_version" >&2
fi
echo "==> schemathesis $schemathesis_version against $base/openapi.yaml" >&2
# Every check, in two runs: for /v1/services and /v1/vendors, whose as_of/all choice is an
# exploded object parameter, without negative_data_rejection — schemathesis drops a
# null-valued extra property when it serializes such a "negative" case, so the request it
# sends is a valid one, rightly answered 200.
#
# A page's `cursor` is opaque: only one the server gave (for the same list and parameters, at
# the current revision) is valid, which no schema can say, so a generated one is rightly a 400
# `input.invalid_cursor` that positive_data_acceptance would count as a valid request refused.
# Schemathesis reads the served document with that one parameter taken out; cursors are
# tested by APIPagesTests (every page walked; changed, cut, foreign and made-up cursors).
"$venv/bin/python" -c '
import sys, yaml
document = yaml.safe_load(open(sys.argv[1]))
cursor = "#/components/parameters/Cursor"
for path in document["paths"].values():
    for operation in path.values():
        if isinstance(operation, dict) and "parameters" in operation:
            operation["parameters"] = [p for p in operation["parameters"] if p.get("$ref") != cursor]
del document["components"]["parameters"]["Cursor"]
yaml.safe_dump(document, open(sys.argv[2], "w"), allow_unicode=True, sort_keys=False)
' docs/openapi.yaml "$work/openapi.yaml" || fail "cannot write the document schemathesis reads"
# Read from a file, the document's own route is tested too: left out (it is compared with
# docs/openapi.yaml above). An invalid request is rightly refused by its size as well (414 URI
# too long, 431 header fields too large: docs/api.md's limits), before its values are read.
cat > "$work/schemathesis.toml" <<'TOML'
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "414", "415", "422", "428", "429", "431", "5xx"]
TOML
schemathesis() {
    # run from $work: schemathesis keeps a .schemathesis/ cache in its working directory
    (cd "$work" && "$venv/bin/st" run "$work/openapi.yaml" --url "$base" \
        --header "Authorization: Bearer $token" \
        --checks all "$@" \
        --phases examples,coverage,fuzzing \
        --max-examples 1400 --seed 20261129 --workers 2 --request-timeout 30 \
        --report junit --report-dir "$work/schemathesis") | tee -a "$work/schemathesis.out" \
        || fail "schemathesis found a server error, a response that violates docs/openapi.yaml, a valid request refused or an invalid one accepted"
}
#
# And the public disclosure without positive_data_acceptance: it is refused with 422
# (`report.disclosure_incomplete`, documented) while the registry lacks a fact it must
# publish, and PERSONA records no Art. 32 address; that answer is checked against the
# document like every other, and tested on its own (DisclosureTests, APIOrganizationTests).
listings='^/v1/(services|vendors)$'
disclosure='^/v1/reports/disclosure$'
schemathesis --exclude-path-regex "$listings|$disclosure|^/openapi\.yaml$"
schemathesis --include-path-regex "$listings" --exclude-checks negative_data_rejection
schemathesis --include-path-regex "$disclosure" --exclude-checks positive_data_acceptance
cases=$(awk '/^Test cases:/ { getline; if (match($0, /[0-9]+ generated/)) total += substr($0, RSTART, RLENGTH - 10) } END { print total + 0 }' "$work/schemathesis.out")
[ "${cases:-0}" -ge 10000 ] || fail "schemathesis generated $cases cases; at least 10000 are required"
echo "==> schemathesis: $cases cases, no failure" >&2

# Many distinct answers (a report per day, each format): the cache stays within its budget,
# so the server's memory stays below its idle size plus the budget plus a margin for the
# connections in flight and the allocator.
# (`wait` with the pids only: a bare `wait` would wait for the server too.)
pids=()
for offset in $(seq 0 299); do
    day=$(date -u -d "2024-01-01 + $offset days" +%F)
    format=$(echo "md html json csv" | cut -d' ' -f$((offset % 4 + 1)))
    curl -s -o /dev/null -H "Authorization: Bearer $token" "$base/v1/reports/residency?format=$format&as_of=$day" &
    pids+=($!)
    if [ ${#pids[@]} = 8 ]; then wait "${pids[@]}"; pids=(); fi
done
[ ${#pids[@]} = 0 ] || wait "${pids[@]}"
rss_after=$(ps -o rss= -p "$server" | tr -d ' ')
grown_mib=$(( (rss_after - rss_idle) / 1024 ))
echo "==> RSS idle $((rss_idle / 1024)) MiB, after schemathesis and 300 distinct reports $((rss_after / 1024)) MiB (cache budget $cache_mib MiB)" >&2
[ "$grown_mib" -lt $((cache_mib + 48)) ] || fail "RSS grew $grown_mib MiB with a $cache_mib MiB cache budget"

# After a write, 64 connections at once on the residency report: one render, shared; none
# answered 503. The connections are opened first and the requests sent together
# (scripts/lib/burst.py), so the figures are the server's, not curl's start-up. The times are
# printed for docs/operations.md, never asserted.
"$bin" token create --name e2e-single --database-url "$url" >/dev/null 2>&1
single=$(python3 scripts/lib/burst.py "$base/v1/reports/residency?format=html" "$token" 1)
"$bin" token create --name e2e-burst --database-url "$url" >/dev/null 2>&1
burst=$(python3 scripts/lib/burst.py "$base/v1/reports/residency?format=html" "$token" 64)
echo "$burst" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["statuses"]=={"200":64} else 1)' \
    || fail "64 connections after a write: $burst"
echo "==> 64 connections after a write: $burst; one render alone after a write: $single" >&2

grep -qF "$token" "$work/log" && fail "the token appears in the server log"
# One access-log line per request, e.g. `… info domicile.api : duration_ms=0.8 method=GET
# path=/v1/vendors request_id=… status=304 [DomicileAPI] request`: the 200 and the 304 above.
grep -E 'method=GET path=/v1/vendors request_id=[^ ]+ status=200 .*request$' "$work/log" >/dev/null \
    || fail "no access-log line for GET /v1/vendors answered 200"
grep -E 'method=GET path=/v1/vendors request_id=[^ ]+ status=304 .*request$' "$work/log" >/dev/null \
    || fail "no access-log line for GET /v1/vendors answered 304"

# SIGTERM while a request is in flight: the request waits for a lock the script holds on
# vendor, seen waiting in pg_stat_activity; SIGTERM arrives; the server stops accepting
# connections while that request still waits; the lock is released; the request is answered
# 200 and the server exits 0. A token write first bumps the revision, so nothing is answered
# from the cache. Every step waits for an event, never for a guessed time.
"$bin" token create --name e2e-drain --database-url "$url" >/dev/null 2>&1
mkfifo "$work/locker-in"
PGAPPNAME=e2e-locker psql "$url" -qAt -v ON_ERROR_STOP=1 <"$work/locker-in" >"$work/locker-out" 2>&1 &
locker=$!
exec 3>"$work/locker-in"
echo "BEGIN; LOCK TABLE vendor IN ACCESS EXCLUSIVE MODE; SELECT 'locked';" >&3
until_true() {  # until_true WHAT COMMAND...: polls (at most 5 minutes) until COMMAND succeeds
    local what=$1; shift
    for _ in $(seq 3000); do "$@" && return 0; sleep 0.1; done
    fail "never happened: $what"
}
until_true "the locker holds the lock on vendor" grep -qx locked "$work/locker-out"
curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/v1/vendors" >"$work/inflight" &
client=$!
waiting_backends() {
    psql "$url" -qAt -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
        AND application_name <> 'e2e-locker' AND wait_event_type = 'Lock' AND query ILIKE '%vendor%'"
}
until_true "the server's query waits for the lock on vendor" test "$(waiting_backends)" = 1
kill -TERM "$server"
# The server has taken the signal: it no longer accepts connections (curl: exit 7)…
refused() { local rc=0; curl -s -o /dev/null "$base/healthz" || rc=$?; [ "$rc" = 7 ]; }
until_true "the server stops accepting connections after SIGTERM" refused
# …while the request that came before it is still in flight, still waiting for the lock.
kill -0 "$client" 2>/dev/null || fail "the request finished before the lock was released"
[ "$(waiting_backends)" = 1 ] || fail "the server's query no longer waits for the lock"
echo "COMMIT;" >&3
exec 3>&-
wait "$locker" || fail "the locker's psql failed: $(cat "$work/locker-out")"
wait "$client" || true
[ "$(cat "$work/inflight")" = 200 ] || fail "the request in flight at SIGTERM got '$(cat "$work/inflight")', not 200"
rc=0; wait "$server" || rc=$?
server=""
[ "$rc" = 0 ] || fail "serve exited with status $rc after SIGTERM"
echo "api end-to-end: ok"
