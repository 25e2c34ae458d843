#!/usr/bin/env bash
# End-to-end: the README's run command against the test cluster (DATABASE_URL is set by
# scripts/test), twice, checking the report and that the second run changes nothing; then
# a third time serving the API in the background, checking /healthz and a token's answer.
set -euo pipefail
cd "$(dirname "$0")/../.."
admin="$DATABASE_URL"
db="domicile_e2e_$$"
psql "$admin" -qc "CREATE DATABASE $db"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$admin" "$db")

first=$(DATABASE_URL="$url" scripts/quickstart --no-serve 2>/dev/null)
grep -q "# Data residency report" <<<"$first" || { echo "quickstart printed no residency report" >&2; exit 1; }
grep -q "aws/ap-northeast-1" <<<"$first" || { echo "quickstart did not report the Tokyo residency" >&2; exit 1; }
grep -q "checklist.mandatory_unmet" <<<"$first" || { echo "quickstart did not print the check's findings" >&2; exit 1; }
grep -q "undisclosed" <<<"$first" || { echo "quickstart did not report the undisclosed location" >&2; exit 1; }
grep -q "Google Analytics" <<<"$first" || { echo "quickstart did not report the Google Analytics transmission" >&2; exit 1; }
second=$(DATABASE_URL="$url" scripts/quickstart --no-serve 2>/dev/null)
grep -q "example persona: 0 added, 0 changed" <<<"$second" || { echo "a second quickstart changed the registry" >&2; echo "$second" >&2; exit 1; }

source scripts/lib/postgres.sh
port=$(pg_free_port)
out=$(mktemp)
DATABASE_URL="$url" DOMICILE_PORT="$port" scripts/quickstart >"$out" 2>/dev/null &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$out"; psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 300); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 $pid 2>/dev/null || { echo "quickstart stopped instead of serving" >&2; cat "$out" >&2; exit 1; }
    sleep 0.2
done
token=$(sed -n 's/^  export DOMICILE_TOKEN=//p' "$out")
[ -n "$token" ] || { echo "quickstart printed no API token" >&2; cat "$out" >&2; exit 1; }
grep -q "curl -H \"Authorization: Bearer" "$out" || { echo "quickstart printed no curl example" >&2; exit 1; }
curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v1/vendors/aws" | grep -q '"key" : "aws"' \
    || { echo "the quickstart API did not answer /v1/vendors/aws with its token" >&2; exit 1; }
echo "quickstart end-to-end: ok"
