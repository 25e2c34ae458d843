#!/usr/bin/env python3
"""Write seeds/countries.csv from Debian's iso-codes package.

Codes and English names come from iso_3166-1.json; Japanese names from the
gettext catalog iso_3166-1.mo (the msgid is the English `name`). Only what
iso-codes lists is written (no user-assigned codes such as XK).

Usage: python3 scripts/generate-countries.py [OUTPUT]
       (default OUTPUT: seeds/countries.csv beside this script's repository)
Environment: ISO_CODES_JSON, ISO_CODES_LOCALEDIR override the input paths.
Stdlib only.
"""
import csv
import gettext
import json
import os
import sys

JSON_PATH = os.environ.get("ISO_CODES_JSON", "/usr/share/iso-codes/json/iso_3166-1.json")
LOCALEDIR = os.environ.get("ISO_CODES_LOCALEDIR", "/usr/share/locale")
DOMAIN = "iso_3166-1"
COLUMNS = ["code", "alpha3", "numeric_code", "name_en", "name_ja", "official_name_en"]


def main(argv):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_path = argv[1] if len(argv) > 1 else os.path.join(repo, "seeds", "countries.csv")

    with open(JSON_PATH, encoding="utf-8") as f:
        entries = json.load(f)["3166-1"]
    try:
        ja = gettext.translation(DOMAIN, localedir=LOCALEDIR, languages=["ja"])
    except OSError as e:
        sys.exit(f"generate-countries: Japanese catalog for {DOMAIN} not found under {LOCALEDIR}: {e}")

    rows = []
    for e in entries:
        name = e["name"]
        translated = ja.gettext(name)
        rows.append({
            "code": e["alpha_2"],
            "alpha3": e["alpha_3"],
            "numeric_code": e["numeric"],
            "name_en": name,
            "name_ja": translated if translated != name else "",
            "official_name_en": e.get("official_name", ""),
        })
    rows.sort(key=lambda r: r["code"])

    with open(out_path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    missing = sum(1 for r in rows if not r["name_ja"])
    print(f"wrote {len(rows)} countries to {out_path} ({missing} without a Japanese name)", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
