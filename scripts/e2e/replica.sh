#!/usr/bin/env bash
# End-to-end: `domicile serve` against a hot standby. Starts a primary and a streaming replica
# of it (`pg_basebackup -R`) as clusters of its own (beside the test cluster), serves from
# both, writes on the primary with the CLI and checks that the standby's server answers the
# new revision (its ETag, and the edit in the body) once replay has reached the primary's
# WAL position. Then a failover: the primary stops, the standby is promoted while its server
# runs (the server keeps answering, switches from polling to LISTEN, and follows a write on
# the new primary), and the promoted node restarts: its server answers 503 with Retry-After
# while the database is gone, then 200 again. No sleep is an assertion: every wait is a
# bounded loop on the state it waits for.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/postgres.sh

work=$(mktemp -d /tmp/domicile-replica-e2e.XXXXXX)
chmod 755 "$work"
servers=()
cleanup() {
    for pid in "${servers[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi
    done
    pg_stop "$work/standby"
    pg_stop "$work/primary"
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "replica end-to-end: $*" >&2
    for log in "$work"/serve-*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }; done
    exit 1
}

bindir=$(pg_bindir)
bin="${DOMICILE_BIN:-$(swift build --show-bin-path)/domicile}"
export DOMICILE_HOME="$PWD" DOMICILE_ACTOR=e2e

# The primary: a cluster of its own (initdb's pg_hba lets local replication connections in).
primary_port=$(pg_free_port)
PG_EXTRA_OPTS="-c fsync=off -c full_page_writes=off -c wal_level=replica -c max_wal_senders=4" \
    pg_start "$work/primary" "$primary_port"
primary="postgresql://postgres@127.0.0.1:$primary_port/domicile"
psql -X -q "postgresql://postgres@127.0.0.1:$primary_port/postgres" -c "CREATE DATABASE domicile"
"$bin" migrate --database-url "$primary" >/dev/null
"$bin" seed --example persona --database-url "$primary" >/dev/null
token=$("$bin" token create --name replica-e2e --database-url "$primary" 2>/dev/null)

# The standby: a base backup with -R (standby.signal and primary_conninfo), started hot.
standby_port=$(pg_free_port)
mkdir -p "$work/standby"
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$work/standby"; chmod 700 "$work/standby"; fi
pg_as_owner "$bindir/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$work/standby/data" -R -X stream --checkpoint=fast \
    || fail "pg_basebackup failed"
PG_EXTRA_OPTS="-c hot_standby=on" pg_start "$work/standby" "$standby_port"
standby="postgresql://postgres@127.0.0.1:$standby_port/domicile"
[ "$(psql -X -At "$standby" -c 'SELECT pg_is_in_recovery()')" = t ] || fail "the standby is not in recovery"

# serve NAME URL: starts `domicile serve` on a free port; sets $base_NAME.
serve() {
    local name=$1 url=$2 port
    port=$(pg_free_port)
    "$bin" serve --database-url "$url" --port "$port" --standby-poll-interval 50 >"$work/serve-$name.out" 2>"$work/serve-$name.log" &
    servers+=($!)
    for _ in $(seq 300); do
        grep -q "listening on" "$work/serve-$name.out" 2>/dev/null && break
        kill -0 "$!" 2>/dev/null || fail "serve ($name) exited before listening"
        sleep 0.1
    done
    grep -q "listening on http://127.0.0.1:$port" "$work/serve-$name.out" || fail "serve ($name) did not say where it listens"
    printf -v "base_$name" '%s' "http://127.0.0.1:$port"
}
serve primary "$primary"
serve standby "$standby"

status() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$@"; }
# etag BASE: the ETag of /v1/vendors/aws ("r<revision>-<day>"), empty when not 200.
etag() {
    curl -s -D - -o /dev/null -H "Authorization: Bearer $token" "$1/v1/vendors/aws" | tr -d '\r' \
        | awk -F': ' 'NR==1 && $0 !~ / 200/{exit} tolower($1)=="etag"{print $2}'
}
revision() { psql -X -At "$1" -c "SELECT revision FROM registry_revision"; }
# wait_for DESCRIPTION COMMAND...: retries COMMAND (a check) for up to 30 s.
wait_for() {
    local what=$1
    shift
    for _ in $(seq 300); do
        "$@" && return 0
        sleep 0.1
    done
    fail "timed out waiting for: $what"
}
has_etag() { [ "$(etag "$1")" = "$2" ]; }
day=$(date -u +%Y%m%d)

[ "$(status "$base_standby/readyz")" = 200 ] || fail "/readyz on the standby's server is not 200"
wait_for "the standby's server to follow by polling" grep -q "standby in recovery" "$work/serve-standby.log"
before=$(revision "$primary")
[ "$(etag "$base_primary")" = "\"r$before-$day\"" ] || fail "the primary's server does not answer revision $before"
[ "$(etag "$base_standby")" = "\"r$before-$day\"" ] || fail "the standby's server does not answer revision $before: $(etag "$base_standby")"
# Remembered now: the next answers come from memory until the watch sees a new revision.
[ "$(status "$base_standby/v1/vendors/aws")" = 200 ] || fail "/v1/vendors/aws on the standby's server is not 200"

# A write on the primary (a CLI edit), then replay on the standby.
"$bin" vendor edit aws --risk-tier critical --database-url "$primary" >/dev/null
after=$(revision "$primary")
[ "$after" -gt "$before" ] || fail "the edit did not bump the revision"
lsn=$(psql -X -At "$primary" -c "SELECT pg_current_wal_lsn()")
replayed() { [ "$(psql -X -At "$standby" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" = t ]; }
wait_for "replay to reach $lsn" replayed
[ "$(revision "$standby")" = "$after" ] || fail "the standby replayed past $lsn without revision $after"
wait_for "the standby's server to answer revision $after" has_etag "$base_standby" "\"r$after-$day\""
curl -s -H "Authorization: Bearer $token" "$base_standby/v1/vendors/aws" | grep -q '"critical"' \
    || fail "the standby's server does not answer the edit"
wait_for "the primary's server to answer revision $after" has_etag "$base_primary" "\"r$after-$day\""
echo "replica: the standby's server answers revision $after once replay reaches $lsn" >&2

# Failover: the primary goes away; the standby still serves reads.
pg_stop "$work/primary"
[ "$(status "$base_standby/v1/vendors/aws")" = 200 ] || fail "the standby's server stopped answering when the primary stopped"
# Promotion keeps the server's connections: it keeps answering, and switches to LISTEN.
pg_as_owner "$bindir/pg_ctl" -D "$work/standby/data" -w promote >/dev/null || fail "pg_ctl promote failed"
[ "$(psql -X -At "$standby" -c 'SELECT pg_is_in_recovery()')" = f ] || fail "the standby is still in recovery after promote"
[ "$(status "$base_standby/v1/vendors/aws")" = 200 ] || fail "the server did not answer through the promotion"
wait_for "the server to notice the promotion" grep -q "out of recovery" "$work/serve-standby.log"
"$bin" vendor edit aws --risk-tier high --database-url "$standby" >/dev/null
promoted=$(revision "$standby")
wait_for "the server to answer revision $promoted written on the promoted node" has_etag "$base_standby" "\"r$promoted-$day\""

# The promoted node restarts: 503 with Retry-After while it is down, then answers again.
pg_stop "$work/standby"
unavailable() { [ "$(status "$base_standby/v1/vendors/aws")" = 503 ]; }
wait_for "503 while the database is down" unavailable
curl -s -D - -o /dev/null -H "Authorization: Bearer $token" "$base_standby/v1/vendors/aws" | tr -d '\r' | grep -qi '^retry-after: [0-9]' \
    || fail "the 503 has no Retry-After"
pg_start "$work/standby" "$standby_port"
wait_for "200 once the database is back" has_etag "$base_standby" "\"r$promoted-$day\""
[ "$(status "$base_standby/readyz")" = 200 ] || fail "/readyz is not 200 after the restart"
echo "replica end-to-end: ok (standby followed revision $after; served through promote, 503 then 200 through a restart)"
