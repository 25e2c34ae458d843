#!/usr/bin/env bash
# Throughput of one `domicile serve` (on a primary) against two (one on the primary, one on a
# streaming replica of it), measured in the same run with wrk, for docs/operations.md.
#
#   scripts/lib/replica-throughput.sh [--scale S] [--duration SECONDS] [--connections N]
#
# Loads the benchmark's generated registry (scripts/bench generate, default --scale 0.1) into
# a throwaway primary with psql's \copy (the rows `domicile import` would write), makes a
# standby with `pg_basebackup -R`, and runs each endpoint uncached (--cache-entries 0, so
# every request reaches the database) and cached: first wrk with N connections against the
# primary's server alone, then N/2 connections against each of the two servers at once.
# DOMICILE_BIN=path uses that binary (default: the debug build). Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/postgres.sh

scale=0.1 duration=5 connections=16
while [ $# -gt 0 ]; do
    case "$1" in
    --scale) scale=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "usage: scripts/lib/replica-throughput.sh [--scale S] [--duration SECONDS] [--connections N]" >&2; exit 2 ;;
    esac
done
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }
bin="${DOMICILE_BIN:-$(swift build --show-bin-path)/domicile}"
export DOMICILE_HOME="$PWD" DOMICILE_ACTOR=replica-throughput
bindir=$(pg_bindir)

hash=$(cat scripts/lib/bench_generate.py seeds/*.csv seeds/checklists/* | sha256sum | cut -c1-12)
data="${TMPDIR:-/tmp}/domicile-bench-data/scale-$scale-seed-7-$hash"
[ -f "$data/counts.json" ] || python3 scripts/lib/bench_generate.py --scale "$scale" --seed 7 "$data" >&2

work=$(mktemp -d /tmp/domicile-replica-throughput.XXXXXX)
chmod 755 "$work"
servers=()
cleanup() {
    for pid in "${servers[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
    pg_stop "$work/standby"
    pg_stop "$work/primary"
    rm -rf "$work"
}
trap cleanup EXIT

primary_port=$(pg_free_port)
PG_EXTRA_OPTS="-c fsync=off -c full_page_writes=off -c max_connections=100" pg_start "$work/primary" "$primary_port"
primary="postgresql://postgres@127.0.0.1:$primary_port/domicile"
psql -X -q "postgresql://postgres@127.0.0.1:$primary_port/postgres" -c "CREATE DATABASE domicile"
"$bin" migrate --database-url "$primary" >/dev/null
"$bin" seed --database-url "$primary" >/dev/null
(cd "$data/copy" && psql -X -q -v ON_ERROR_STOP=1 "$primary" -f load.sql >/dev/null)
psql -X -q "$primary" -c "VACUUM ANALYZE"
token=$("$bin" token create --name throughput --database-url "$primary" 2>/dev/null)

standby_port=$(pg_free_port)
mkdir -p "$work/standby"
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$work/standby"; chmod 700 "$work/standby"; fi
pg_as_owner "$bindir/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$work/standby/data" -R -X stream --checkpoint=fast
PG_EXTRA_OPTS="-c max_connections=100" pg_start "$work/standby" "$standby_port"
standby="postgresql://postgres@127.0.0.1:$standby_port/domicile"

# serve VAR URL EXTRA...: starts a server; sets VAR to its port.
serve() {
    local var=$1 url=$2 port
    shift 2
    port=$(pg_free_port)
    "$bin" serve --database-url "$url" --port "$port" --max-connections 16 "$@" >"$work/serve-$port.out" 2>/dev/null &
    servers+=($!)
    for _ in $(seq 300); do grep -q "listening on" "$work/serve-$port.out" 2>/dev/null && break; sleep 0.1; done
    printf -v "$var" '%s' "$port"
}
rate() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
errors() { grep -E "Non-2xx|Socket errors" "$1" | tr "\n" " " || true; }
wrk_run() { wrk -t 2 -c "$2" -d "${duration}s" --timeout 30s -H "Authorization: Bearer $token" "http://127.0.0.1:$1$3" >"$4"; }

echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; scale $scale ($(python3 -c 'import json,sys; print(sum(json.load(open(sys.argv[1])).values()))' "$data/counts.json") rows); wrk $connections connections in all, ${duration} s; binary $bin"
for mode in uncached cached; do
    extra=()
    [ "$mode" = uncached ] && extra=(--cache-entries 0)
    serve p "$primary" ${extra[@]+"${extra[@]}"}
    serve s "$standby" ${extra[@]+"${extra[@]}"}
    for path in /v1/vendors/ven-00001 /v1/countries/JP "/v1/where?country=US"; do
        curl -s -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$p$path"
        curl -s -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$s$path"
        wrk_run "$p" "$connections" "$path" "$work/one"
        wrk_run "$p" $((connections / 2)) "$path" "$work/two-p" &
        other=$!
        wrk_run "$s" $((connections / 2)) "$path" "$work/two-s"
        wait "$other"
        one=$(rate "$work/one") a=$(rate "$work/two-p") b=$(rate "$work/two-s")
        python3 -c 'import sys; one, a, b = map(float, sys.argv[2:5]); print(f"GET {sys.argv[1]} {sys.argv[5]}: one server {one:,.0f} req/s; two servers {a + b:,.0f} req/s (primary {a:,.0f} + standby {b:,.0f}); two ÷ one {(a + b) / one:.2f}x")' \
            "$path" "$one" "$a" "$b" "$mode"
        for f in one two-p two-s; do e=$(errors "$work/$f"); [ -z "$e" ] || echo "  $f: $e"; done
    done
    for pid in "${servers[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
    servers=()
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
