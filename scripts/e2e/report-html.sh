#!/usr/bin/env bash
# End-to-end: the HTML reports of the PERSONA example render in headless Chromium (Debian's
# `chromium`, installed with apt-get when missing) with their inline SVG figures, and
# docs/reports.md still shows what the code generates (scripts/generate-report-docs --check).
set -euo pipefail
cd "$(dirname "$0")/../.."
admin="$DATABASE_URL"
db="domicile_e2e_report_$$"
work=$(mktemp -d /tmp/domicile-e2e-report.XXXXXX)
psql "$admin" -qc "CREATE DATABASE $db"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$admin" "$db")

if ! command -v chromium >/dev/null; then
    echo "installing chromium (Debian) for the HTML report check" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    # A fresh machine's package lists may be empty: refresh them first.
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

bin="$(swift build --show-bin-path)/domicile"
DATABASE_URL="$url" "$bin" migrate >/dev/null
DATABASE_URL="$url" "$bin" seed --example persona >/dev/null

# The internal reports carry the figures; the public disclosure has none (scripts/e2e/disclosure-html.sh).
for kind in residency vendors ropa; do
    DATABASE_URL="$url" "$bin" report "$kind" --format html --as-of 2026-11-28 -o "$work/$kind.html"
    dom=$(chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$work/$kind.html" 2>/dev/null)
    grep -q 'aria-label="Data flow"' <<<"$dom" || { echo "$kind: Chromium's DOM has no data-flow SVG" >&2; exit 1; }
    grep -q 'aria-label="Checklist completion"' <<<"$dom" || { echo "$kind: Chromium's DOM has no completion SVG" >&2; exit 1; }
    grep -q 'SHA-256 fingerprint' <<<"$dom" || { echo "$kind: no fingerprint in the rendered page" >&2; exit 1; }
done
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1500 \
    --screenshot="$work/residency.png" "file://$work/residency.html" >/dev/null 2>&1
size=$(stat -c %s "$work/residency.png")
[ "$(head -c 8 "$work/residency.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
    || { echo "Chromium wrote no PNG screenshot" >&2; exit 1; }
[ "$size" -gt 20000 ] || { echo "the screenshot is nearly empty ($size bytes)" >&2; exit 1; }

DATABASE_URL="$admin" scripts/generate-report-docs --check >/dev/null
echo "report HTML end-to-end: ok (screenshot $size bytes)"
