#!/usr/bin/env bash
# End-to-end: the release executable is an installation. Builds it (`swift build -c release
# --static-swift-stdlib`), copies the one file into an empty directory outside the checkout,
# and from there, with no DOMICILE_HOME and no --schema-dir or --seeds-dir, runs `migrate`,
# `seed --example persona`, a report, `token create` and `serve` (an answer of /v1 and the
# served /openapi.yaml, which must be docs/openapi.yaml byte for byte). Where the kernel
# allows a private mount namespace (`unshare -m`, as root), the checkout and the Swift
# toolchain's runtime libraries are hidden under empty directories while it runs, so nothing
# can be read from them; elsewhere the run still happens outside the checkout.
# DATABASE_URL is the test cluster (set by scripts/test).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/postgres.sh

root=$PWD
admin="$DATABASE_URL"
db="domicile_installed_e2e_$$"
work=$(mktemp -d /tmp/domicile-installed.XXXXXX)
chmod 755 "$work"
cleanup() {
    psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "installed-binary end-to-end: $*" >&2; [ -f "$work/log" ] && tail -n 30 "$work/log" >&2; exit 1; }
case "$work/" in "$root"/*) fail "the work directory $work is inside the checkout $root" ;; esac

echo "==> swift build -c release --static-swift-stdlib" >&2
started=$(date +%s)
swift build -c release --static-swift-stdlib --product domicile >&2
echo "release build: $(( $(date +%s) - started )) s" >&2
built="$(swift build -c release --static-swift-stdlib --show-bin-path)/domicile"

mkdir "$work/bin" "$work/run"
cp "$built" "$work/bin/domicile"
# The Swift runtime is inside the executable; besides libc6 and libstdc++6 it links libpq (apt: libpq5).
if ldd "$work/bin/domicile" | grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime|lib_Foundation'; then
    fail "the release executable links the Swift runtime dynamically"
fi
ldd "$work/bin/domicile" | grep -q 'libpq\.so' || fail "the release executable does not link libpq"

psql "$admin" -qc "CREATE DATABASE $db"
url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$admin" "$db")
toolchain_lib="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")/lib/swift"

# What runs from the installation directory: only the executable, curl and the shell.
cat >"$work/installed.sh" <<'INNER'
set -euo pipefail
work=$1 root=$2 toolchain_lib=$3
if [ "${HIDE:-}" = 1 ]; then
    mount -t tmpfs -o size=1M none "$root"
    [ -d "$toolchain_lib" ] && mount -t tmpfs -o size=1M none "$toolchain_lib"
    [ -z "$(ls -A "$root")" ] || { echo "the checkout is still visible" >&2; exit 1; }
    echo "(checkout $root and $toolchain_lib hidden)" >&2
fi
cd "$work/run"
bin="$work/bin/domicile"
"$bin" migrate
status=$("$bin" migrate --status)
grep -q '^applied' <<<"$status" || { echo "migrate --status lists nothing applied" >&2; exit 1; }
grep -v '^applied' <<<"$status" && { echo "migrations left pending or changed" >&2; exit 1; }
"$bin" seed --example persona
"$bin" report residency --as-of 2025-04-01 --format md >"$work/report.md"
"$bin" check >"$work/check.txt" && { echo "check found nothing on PERSONA" >&2; exit 1; }
token=$("$bin" token create --name installed 2>/dev/null)
"$bin" serve --port 0 >"$work/out" 2>"$work/log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 150); do
    grep -q "listening on" "$work/out" 2>/dev/null && break
    kill -0 "$server" 2>/dev/null || { echo "serve exited before listening" >&2; exit 1; }
    sleep 0.2
done
port=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$work/out")
[ -n "$port" ] || { echo "serve did not say where it listens" >&2; exit 1; }
curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v1/vendors/aws" >"$work/aws.json"
curl -sf "http://127.0.0.1:$port/openapi.yaml" >"$work/openapi.yaml"
[ -z "$(ls -A "$work/run")" ] || { echo "the commands wrote into the working directory: $(ls -A "$work/run")" >&2; exit 1; }
INNER

env_clean=(env -i PATH="$PATH" HOME="$work/run" DATABASE_URL="$url" DOMICILE_ACTOR=installed-e2e)
if unshare -m --propagation private true 2>/dev/null; then
    "${env_clean[@]}" HIDE=1 unshare -m --propagation private bash "$work/installed.sh" "$work" "$root" "$toolchain_lib" \
        || fail "a command of the copied executable failed"
else
    echo "(no private mount namespace here: running from $work/run, the checkout left visible)" >&2
    "${env_clean[@]}" bash "$work/installed.sh" "$work" "$root" "$toolchain_lib" \
        || fail "a command of the copied executable failed"
fi

grep -q "# Data residency report" "$work/report.md" || fail "the report is not the residency report"
grep -q "aws/ap-northeast-1" "$work/report.md" || fail "the report lacks PERSONA's Tokyo residency"
grep -q "checklist.mandatory_unmet" "$work/check.txt" || fail "check did not report PERSONA's unmet checklist items"
grep -q '"key" *: *"aws"' "$work/aws.json" || fail "/v1/vendors/aws did not answer the vendor: $(head -c 300 "$work/aws.json")"
cmp -s "$work/openapi.yaml" docs/openapi.yaml || fail "the served /openapi.yaml is not docs/openapi.yaml as is"
echo "installed binary: migrate, seed, report, check and serve ran from $work/run without the checkout" >&2
