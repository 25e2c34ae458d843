#!/usr/bin/env bash
# End-to-end: `domicile due --format ics` and the API's /v1/due.ics, read by a real iCalendar
# parser (Python's `icalendar`, pinned, from PyPI, in a cached venv). On a fresh database
# holding the PERSONA example, with a provision record and a standard-conforming recipient
# added so every kind of item appears, the calendar must hold exactly the items of
# `domicile due --format json` — same UIDs, all-day dates, summaries and descriptions after
# unfolding and unescaping — and its UIDs must be the same on a second run, from the CLI
# and from the API alike. DATABASE_URL is the test cluster (set by scripts/test).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/postgres.sh

icalendar_version=6.1.0
admin="$DATABASE_URL"
db="domicile_due_e2e_$$"
work=$(mktemp -d /tmp/domicile-due-e2e.XXXXXX)
server=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; fi
    psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "due-ics end-to-end: $*" >&2; exit 1; }

psql "$admin" -qc "CREATE DATABASE $db"
url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$admin" "$db")
bin="$(swift build --show-bin-path)/domicile"
export DOMICILE_HOME="$PWD" DOMICILE_ACTOR=e2e DATABASE_URL="$url"
"$bin" migrate >/dev/null
"$bin" seed --example persona >/dev/null
# every kind of item: a record of provision (its retention end) and a recipient in a country
# without an equivalent system on a standard-conforming basis (its Art. 18 periodic check)
cat >"$work/more.yaml" <<'YAML'
domicile: 1
provisions:
  - key: e2e-share
    service: persona
    recipient: tsubame-support
    basis: consent
    purpose: Joint campaign
    purpose_ja: 共同キャンペーン
    categories: [user.name]
    recipient_country: JP
    valid_from: 2025-01-01
    records:
      - {provided_on: 2026-06-01, data_subjects: "members, batch 7; 「会員」", items: name, retain_until: 2029-06-01}
YAML
"$bin" import "$work/more.yaml" >/dev/null
"$bin" vendor edit tsubame-support --contracting-country IN >/dev/null
"$bin" entrust edit persona-support-desk --transfer-basis standard_conforming --transfer-basis-checked-on 2026-03-01 >/dev/null

# icalendar from PyPI, pinned, in a venv kept between runs
venv="${DOMICILE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/domicile}/icalendar-$icalendar_version"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import icalendar' 2>/dev/null; then
    echo "==> installing icalendar $icalendar_version into $venv" >&2
    rm -rf "$venv"
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >&2
        rm -rf "$venv"
        python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install -q "icalendar==$icalendar_version" >&2
fi

as_of=2027-01-01
"$bin" due --as-of "$as_of" --within 3y --format json -o "$work/due.json"
"$bin" due --as-of "$as_of" --within 3y --format ics -o "$work/due.ics"
sleep 1
"$bin" due --as-of "$as_of" --within 3y --format ics -o "$work/again.ics"

token=$("$bin" token create --name e2e 2>/dev/null)
serve_on_free_port "$work/out" "$work/log" "$bin" serve || fail "serve did not start"
curl -sf -H "Authorization: Bearer $token" -D "$work/api.head" -o "$work/api.ics" \
    "http://127.0.0.1:$port/v1/due.ics?as_of=$as_of&within=3y" || fail "GET /v1/due.ics failed"
tr -d '\r' <"$work/api.head" | grep -qi '^content-type: text/calendar; charset=utf-8$' || fail "/v1/due.ics is not text/calendar"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/due.ics")" = 401 ] || fail "/v1/due.ics without a token is not 401"

"$venv/bin/python" - "$work" <<'PY' || fail "the calendar does not hold the expected events"
import datetime, json, pathlib, sys
import icalendar

work = pathlib.Path(sys.argv[1])
due = json.loads((work / "due.json").read_text())
items = due["items"]
kinds = {item["kind"] for item in items}
for kind in ["contract_expiry", "contract_notice", "review", "transfer_check", "retention_end"]:
    assert kind in kinds, f"no {kind} item in {sorted(kinds)}"
assert any(item["overdue"] for item in items), "an overdue item is expected (the notice deadline has passed)"

def events(name):
    raw = (work / name).read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b""), f"{name}: a bare line feed"
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, f"{name}: a line of {len(line)} octets"
    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}

summaries = {
    "contract_expiry": "Contract ends", "contract_notice": "Notice deadline", "dpa_expiry": "DPA ends",
    "review": "Review due", "transfer_check": "Art. 18 periodic check", "retention_end": "Record retention ends",
}
cli = events("due.ics")
assert len(cli) == len(items), f"{len(cli)} events for {len(items)} items"
for item in items:
    event = cli[item["uid"]]
    start = event.decoded("DTSTART")
    assert type(start) is datetime.date, f"{item['uid']}: not an all-day event ({start!r})"
    assert start.isoformat() == item["date"], f"{item['uid']}: {start} is not {item['date']}"
    assert event.decoded("DTEND") == start + datetime.timedelta(days=1)
    assert "DTSTAMP" in event
    summary = str(event["SUMMARY"])
    expected = ("OVERDUE: " if item["overdue"] else "") + f"{summaries[item['kind']]}: {item['entity']} {item['key']}"
    assert summary == expected, f"{summary!r} is not {expected!r}"
    description = str(event["DESCRIPTION"])
    assert description.startswith(item["what"]), f"{description!r} does not start with {item['what']!r}"
    if item["owner"]:
        assert f"Owner: {item['owner']}" in description
    if item["source"]:
        assert f"Source: {item['source']}" in description
    assert [str(c) for c in event["CATEGORIES"].cats] == [item["kind"]]

again = events("again.ics")
api = events("api.ics")
assert set(again) == set(cli), "UIDs changed between two runs"
assert set(api) == set(cli), "the API's calendar has other UIDs than the command's"
retention = [cli[i["uid"]] for i in items if i["kind"] == "retention_end"]
assert any("「会員」" in str(e["DESCRIPTION"]) and "batch 7\\;" not in str(e["DESCRIPTION"]) for e in retention), "escaped text did not come back as written"
print(f"==> due-ics: {len(items)} events read by icalendar {icalendar.__version__}, kinds {sorted(kinds)}", file=sys.stderr)
PY
echo "==> due-ics: the CLI's and the API's calendars hold the expected events" >&2
