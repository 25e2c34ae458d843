#!/usr/bin/env bash
# End-to-end: the web console in a real headless Chromium (Debian's `chromium`, driven by
# Playwright for Python pinned from PyPI in a cached venv; Playwright's own browsers are never
# downloaded), against `domicile serve` on a fresh database holding the PERSONA example
# (DATABASE_URL is the test cluster, set by scripts/test). scripts/lib/console_e2e.py signs in
# with a token, opens every page in English and Japanese, follows a finding to its vendor,
# changes the services page's as-of date, compares the where CSV with the API's byte for byte,
# switches language, signs out, is refused the other pages with a `reports` token, and checks
# labels, table headers, 375 px width, keyboard focus, contrast and print on every page; any
# console error or CSP violation in the browser fails it. The token must not reach the log.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/postgres.sh
source scripts/lib/browser.sh
source scripts/lib/playwright.sh
source scripts/lib/console_serve.sh

admin="$DATABASE_URL"
db="domicile_console_e2e_$$"
work=$(mktemp -d /tmp/domicile-console-e2e.XXXXXX)
cleanup() {
    console_stop
    psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "console end-to-end: $*" >&2; [ -f "$work/serve.log" ] && tail -n 20 "$work/serve.log" >&2; exit 1; }

browser_ensure "the console end-to-end test"
python=$(playwright_ensure "the console end-to-end test")

psql "$admin" -qc "CREATE DATABASE $db"
url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$admin" "$db")
bin="$(swift build --show-bin-path)/domicile"
export DOMICILE_HOME="$PWD" DOMICILE_ACTOR=e2e
"$bin" migrate --database-url "$url" >/dev/null
"$bin" seed --example persona --database-url "$url" >/dev/null
# PERSONA's findings today are about its own organization's assessment; a vendor sharing
# an alias with aws gives the check page a finding about a vendor to follow.
"$bin" vendor add e2e-cloud --legal-name "E2E Cloud K.K." --aliases AWS --kinds cloud_provider \
    --headquarters JP --risk-tier low --database-url "$url" >/dev/null
token=$("$bin" token create --name e2e-console --database-url "$url" 2>/dev/null)
reports_token=$("$bin" token create --name e2e-console-reports --scope reports --database-url "$url" 2>/dev/null)

console_serve "$bin" "$url" "$work" || fail "could not start domicile serve"
PYTHONPATH=scripts/lib "$python" scripts/lib/console_e2e.py --base "$console_base" \
    --token "$token" --reports-token "$reports_token" || fail "the browser test failed (above)"

grep -qF "$token" "$work/serve.log" && fail "the token appears in the server log"
grep -qF "$reports_token" "$work/serve.log" && fail "the reports token appears in the server log"
echo "console end-to-end: ok"
