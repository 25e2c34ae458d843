#!/usr/bin/env bash
# End-to-end: the benchmark's generated registry, at a small scale, imports cleanly (every
# generated row arrives, with one audit row each, as psql's \copy of the same rows gives) and
# a second import changes nothing. No timing: the benchmark itself (scripts/bench) is not run
# in CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
admin="$DATABASE_URL"
bin="${DOMICILE_BIN:-$(swift build --show-bin-path)/domicile}"
work=$(mktemp -d /tmp/domicile-bench-smoke.XXXXXX)
import_db="domicile_smoke_import_$$"
copy_db="domicile_smoke_copy_$$"
cleanup() {
    psql -X "$admin" -qc "DROP DATABASE IF EXISTS $import_db WITH (FORCE)" -c "DROP DATABASE IF EXISTS $copy_db WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
url() { python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$admin" "$1"; }

python3 scripts/lib/bench_generate.py --scale 0.002 "$work/data" >/dev/null
export DOMICILE_HOME=$PWD DOMICILE_ACTOR=bench-smoke
for db in "$import_db" "$copy_db"; do
    psql -X "$admin" -qc "CREATE DATABASE $db"
    "$bin" migrate --database-url "$(url "$db")" >/dev/null
    "$bin" seed --database-url "$(url "$db")" >/dev/null
done
for file in "$work"/data/import/*; do
    "$bin" import "$file" --database-url "$(url "$import_db")" >/dev/null
done
(cd "$work/data/copy" && psql -X -q -v ON_ERROR_STOP=1 "$(url "$copy_db")" -f load.sql)

count_query="SELECT string_agg(t || '=' || n, ' ' ORDER BY t) FROM (SELECT 'audit_log' AS t, count(*) AS n FROM audit_log"
for table in $(python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1])))))' "$work/data/counts.json"); do
    count_query+=" UNION ALL SELECT '$table', count(*) FROM $table"
done
count_query+=") c"
imported=$(psql -X -At "$(url "$import_db")" -c "$count_query")
copied=$(psql -X -At "$(url "$copy_db")" -c "$count_query")
[ "$imported" = "$copied" ] || { echo "import and \\copy differ: $imported vs $copied" >&2; exit 1; }

for file in "$work"/data/import/*; do
    again=$("$bin" import "$file" --database-url "$(url "$import_db")")
    grep -q ": 0 added, 0 changed" <<<"$again" || { echo "a second import of $(basename "$file") changed the registry: $again" >&2; exit 1; }
done
echo "benchmark registry end-to-end: ok ($imported)"
