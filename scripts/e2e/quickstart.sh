#!/usr/bin/env bash
# End-to-end: the README's run command against the test cluster (DATABASE_URL is set by
# scripts/test), twice, checking the report and that the second run changes nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
admin="$DATABASE_URL"
db="domicile_e2e_$$"
psql "$admin" -qc "CREATE DATABASE $db"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$admin" "$db")

first=$(DATABASE_URL="$url" scripts/quickstart 2>/dev/null)
grep -q "persona-aws-tokyo-storage" <<<"$first" || { echo "quickstart did not report the Tokyo residency" >&2; exit 1; }
grep -q "undisclosed" <<<"$first" || { echo "quickstart did not report the undisclosed location" >&2; exit 1; }
grep -q "Google Analytics" <<<"$first" || { echo "quickstart did not report the Google Analytics transmission" >&2; exit 1; }
second=$(DATABASE_URL="$url" scripts/quickstart 2>/dev/null)
grep -q "example persona: 0 added, 0 changed" <<<"$second" || { echo "a second quickstart changed the registry" >&2; echo "$second" >&2; exit 1; }
echo "quickstart end-to-end: ok"
