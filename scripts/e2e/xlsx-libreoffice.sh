#!/usr/bin/env bash
# End-to-end: the workbook `domicile export --format xlsx` writes opens in LibreOffice without
# repair, and LibreOffice reads from every sheet what Domicile's CSV export of that table holds:
# headless LibreOffice Calc (Debian's libreoffice-calc-nogui, installed with apt-get when
# missing) converts each sheet of the PERSONA workbook to CSV (UTF-8), and each is compared,
# below its header, with `domicile export --format csv --kind TABLE`. Dates are date cells
# shown as yyyy-mm-dd and whole numbers are numbers, so the text is the same. The workbook is
# also imported back (dry run: nothing to change) and exported again byte-identically.
set -euo pipefail
cd "$(dirname "$0")/../.."
admin="$DATABASE_URL"
db="domicile_e2e_xlsx_$$"
work=$(mktemp -d /tmp/domicile-e2e-xlsx.XXXXXX)
psql "$admin" -qc "CREATE DATABASE $db"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$admin" "$db")

if ! command -v libreoffice >/dev/null; then
    echo "installing libreoffice-calc-nogui (Debian) for the xlsx check" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
fi

bin="$(swift build --show-bin-path)/domicile"
export DATABASE_URL="$url"
"$bin" migrate >/dev/null
"$bin" seed --example persona >/dev/null
"$bin" export --format xlsx -o "$work/registry.xlsx"

# Every sheet to its own CSV file (token 12, sheet -1: all sheets; 76: UTF-8; token 9: as shown;
# 44,34 = comma and double quote), as registry-SHEET.csv.
HOME="$work" libreoffice --headless --norestore \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1' \
    --outdir "$work/lo" "$work/registry.xlsx" >"$work/soffice.log" 2>&1 \
    || { cat "$work/soffice.log" >&2; echo "LibreOffice could not convert the workbook" >&2; exit 1; }

sheets=$(python3 - "$work/registry.xlsx" <<'PY'
import re, sys, zipfile
names = re.findall(r'<sheet name="([^"]+)"', zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode())
print(" ".join(n for n in names if not n.startswith("_")))
PY
)
checked=0
for sheet in $sheets; do
    lo="$work/lo/registry-$sheet.csv"
    [ -f "$lo" ] || { echo "LibreOffice wrote no CSV for sheet $sheet (files: $(ls "$work/lo"))" >&2; exit 1; }
    "$bin" export --format csv --kind "$sheet" -o "$work/$sheet.csv"
    # Compare below the header (LibreOffice shows the human header), as parsed CSV rows.
    python3 - "$lo" "$work/$sheet.csv" "$sheet" <<'PY'
import csv, sys
def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return [row for row in csv.reader(handle)][1:]
office, domicile, sheet = rows(sys.argv[1]), rows(sys.argv[2]), sys.argv[3]
# Domicile's CSV puts ' before a cell a spreadsheet would run; the workbook holds the text itself.
def unescape(cell):
    return cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r", "'") else cell
domicile = [[unescape(cell) for cell in row] for row in domicile]
office = [row + [""] * (len(domicile[0]) - len(row)) if domicile else row for row in office]
if office != domicile:
    for index, (a, b) in enumerate(zip(office, domicile)):
        if a != b:
            print(f"sheet {sheet}, row {index + 2}:\n  LibreOffice: {a}\n  Domicile:    {b}", file=sys.stderr)
            break
    else:
        print(f"sheet {sheet}: {len(office)} rows in LibreOffice, {len(domicile)} in Domicile's CSV", file=sys.stderr)
    sys.exit(1)
PY
    checked=$((checked + 1))
done
[ "$checked" -ge 10 ] || { echo "only $checked sheets were checked" >&2; exit 1; }

# The workbook imports back with nothing to change, and exports byte-identically.
"$bin" import "$work/registry.xlsx" --dry-run | tail -1 | grep -q "0 added, 0 changed" \
    || { echo "importing the exported workbook would change the registry" >&2; exit 1; }
"$bin" export --format xlsx -o "$work/again.xlsx"
cmp "$work/registry.xlsx" "$work/again.xlsx"

# Saved again by LibreOffice (shared strings, its own styles and date formats), the workbook
# still imports with nothing to change.
HOME="$work" libreoffice --headless --norestore --convert-to xlsx --outdir "$work/resaved" "$work/registry.xlsx" >"$work/soffice.log" 2>&1 \
    || { cat "$work/soffice.log" >&2; echo "LibreOffice could not save the workbook again" >&2; exit 1; }
"$bin" import "$work/resaved/registry.xlsx" --dry-run | tail -1 | grep -q "0 added, 0 changed" \
    || { "$bin" import "$work/resaved/registry.xlsx" --dry-run >&2 || true; echo "the workbook as LibreOffice saves it would change the registry" >&2; exit 1; }
echo "xlsx: $checked sheets read by LibreOffice as Domicile's CSV; the workbook, and LibreOffice's save of it, re-import unchanged"
