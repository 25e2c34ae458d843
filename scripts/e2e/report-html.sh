#!/usr/bin/env bash
# End-to-end: the HTML reports of the PERSONA example, rendered by headless Chromium
# (Debian's `chromium`, with the Noto CJK fonts for the Japanese report; both installed with
# apt-get when missing), look like the committed screenshots docs/images/report-residency.png
# and report-disclosure-ja.png: each screenshot is compared pixel by pixel with the committed
# one (scripts/lib/png_compare.py: at most 0.05% of the pixels may differ by more than 48
# levels in a channel, and neither may be blank). The other reports must render to a page
# that is not blank. docs/reports.md and docs/samples must still be what the code
# generates (scripts/generate-report-docs --check).
# After a deliberate change to how reports look: scripts/generate-report-docs renews the
# samples and screenshots; look at the new images before committing them.
set -euo pipefail
cd "$(dirname "$0")/../.."
admin="$DATABASE_URL"
db="domicile_e2e_report_$$"
work=$(mktemp -d /tmp/domicile-e2e-report.XXXXXX)
psql "$admin" -qc "CREATE DATABASE $db"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$admin" "$db")

source scripts/lib/browser.sh
browser_ensure "the HTML report check"

bin="$(swift build --show-bin-path)/domicile"
DATABASE_URL="$url" "$bin" migrate >/dev/null
DATABASE_URL="$url" "$bin" seed --example persona >/dev/null

# The day and the generation time of the committed samples (scripts/generate-report-docs).
export SOURCE_DATE_EPOCH=1795856400
report() { DATABASE_URL="$url" "$bin" report "$@" --as-of 2026-11-28; }
shoot() {  # shoot HTML PNG HEIGHT
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="1100,$3" \
        --screenshot="$2" "file://$1" >/dev/null 2>&1
    [ "$(head -c 8 "$2" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
        || { echo "Chromium wrote no PNG screenshot of $1" >&2; exit 1; }
}
compare() {  # compare NAME ACTUAL EXPECTED [OPTIONS]: keeps the actual image when they differ
    local name=$1 actual=$2 expected=$3; shift 3
    if ! python3 scripts/lib/png_compare.py "$actual" "$expected" "$@"; then
        local kept="${TMPDIR:-/tmp}/domicile-report-html-$name.png"
        cp "$actual" "$kept"
        echo "$name: the rendered page does not look like $expected; Chromium's screenshot is kept at $kept" >&2
        exit 1
    fi
}

report residency --format html -o "$work/residency.html"
shoot "$work/residency.html" "$work/residency.png" 1500
compare residency "$work/residency.png" docs/images/report-residency.png --max-differing 0.0005 --channel-tolerance 48

# PERSONA records no address or representative: its disclosure is a draft (--allow-findings).
report disclosure --lang ja --format html --allow-findings -o "$work/disclosure-ja.html"
shoot "$work/disclosure-ja.html" "$work/disclosure-ja.png" 2400
compare disclosure-ja "$work/disclosure-ja.png" docs/images/report-disclosure-ja.png --max-differing 0.0005 --channel-tolerance 48

# The others have no committed image: their pages must at least not be blank.
for kind in vendors ropa disclosure; do
    allow=""
    [ "$kind" = disclosure ] && allow=--allow-findings
    report "$kind" --format html $allow -o "$work/$kind.html"
    shoot "$work/$kind.html" "$work/$kind.png" 1500
    python3 scripts/lib/png_compare.py --not-blank "$work/$kind.png" || { echo "$kind: the rendered page is blank" >&2; exit 1; }
done

DATABASE_URL="$admin" scripts/generate-report-docs --check >/dev/null
echo "report HTML end-to-end: ok"
