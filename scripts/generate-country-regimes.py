#!/usr/bin/env python3
"""Write seeds/country-regimes.csv from the reference country-regimes.csv.

Normalizes the reference facts (/work/shared/reference/country-regimes.csv,
described in regulatory-notes.md §7) to the columns of the `country_regime`
table in schema/0001_domain.sql:

* Y/N -> true/false; n/a -> not_applicable; Partial -> partial.
* A value with "?" (Y?, Sectoral?, N?, ?) -> uncertain; the raw value is kept
  in confidence_note.
* localization: Y -> broad, Sectoral -> sectoral, N -> none.
* confidence: the weakest tag that applies to the row. Per §7 the EU/EEA,
  adequacy, JP-Eq, CBPR and PPC columns are [V]; Law and Loc are mostly [G],
  so a row is `general` unless the source tags it "[P] S33" (localization
  partly verified), which makes it `partial`.
* [G]/[P] tags embedded in law_name or localization_note are moved to
  confidence_note.

Usage: python3 scripts/generate-country-regimes.py [INPUT] [OUTPUT]
Stdlib only.
"""
import csv
import os
import re
import sys

DEFAULT_INPUT = "/work/shared/reference/country-regimes.csv"
VERIFIED_ON = "2026-11-20"
DEFAULT_EFFECTIVE_FROM = "2026-01-01"
BASE_SOURCE = "regulatory-notes.md §7; S15, S16, S27-S31"

# Row-specific sources (regulatory-notes.md source list).
EXTRA_SOURCES = {
    "US": ["S18", "S32"],   # CBPR since 2012-07-25 (S18); state laws (S32)
    "AE": ["S17"],          # PPC survey report on the Arab jurisdictions
    "IN": ["S33"], "ID": ["S33"], "VN": ["S33"], "RU": ["S33"],
}

# Rows where a column usually [G] is backed by a verified source.
WEAKER_OVERRIDE = {
    "US": "comprehensive_law 'partial' rests on the 20 state laws in force on 2026-01-01, verified [V] S32; "
          "weaker: the absence of a federal comprehensive law and localization are general knowledge [G].",
}

# Facts that set a later effective date than the default.
EFFECTIVE_FROM = {
    # Decision (EU) 2026/179 of 2026-01-26 (adequacy for Brazil).
    "BR": ("2026-01-26", "effective_from is the date of Decision (EU) 2026/179 (EU adequacy); "
                         "date of entry into force to be confirmed"),
}

COLUMNS = ["country_code", "effective_from", "eu_member", "eea_member", "eu_adequacy",
           "eu_adequacy_note", "jp_ppc_equivalent", "apec_cbpr", "ppc_survey",
           "comprehensive_law", "law_name", "localization", "localization_note",
           "confidence", "confidence_note", "source", "verified_on"]

TAG = re.compile(r"\s*\[([GPV])\]\s*")


class BadValue(ValueError):
    pass


def boolean(value, column, code):
    v = value.strip()
    if v == "Y":
        return "true"
    if v == "N":
        return "false"
    raise BadValue(f"{code}: {column}={value!r} is not Y or N")


def eu_adequacy(value, code):
    return {"Y": "yes", "Partial": "partial", "N": "no", "n/a": "not_applicable"}[value.strip()] \
        if value.strip() in ("Y", "Partial", "N", "n/a") else _bad(code, "eu_adequacy", value)


def jp_equivalent(value, code):
    m = {"Y": "yes", "N": "no", "home": "home"}
    return m[value.strip()] if value.strip() in m else _bad(code, "jp_ppc_equivalent", value)


def ppc_survey(value, code):
    m = {"Y": "yes", "N": "no", "n/a": "not_applicable"}
    return m[value.strip()] if value.strip() in m else _bad(code, "ppc_survey", value)


def comprehensive_law(value, code):
    v = value.strip()
    if "?" in v:
        return "uncertain"
    m = {"Y": "yes", "Partial": "partial", "N": "no"}
    return m[v] if v in m else _bad(code, "comprehensive_law", value)


def localization(value, code):
    v = value.strip()
    if "?" in v:
        return "uncertain"
    m = {"Y": "broad", "Sectoral": "sectoral", "N": "none"}
    return m[v] if v in m else _bad(code, "localization", value)


def _bad(code, column, value):
    raise BadValue(f"{code}: unexpected {column} value {value!r}")


def strip_tags(text):
    """Return (text without [G]/[P]/[V] tags, list of tags found)."""
    tags = TAG.findall(text)
    return TAG.sub(" ", text).strip(), tags


def sentence(s):
    s = s.strip()
    return s if s.endswith(".") else s + "."


def convert(row):
    code = row["iso2"].strip()
    notes = []
    original = row["confidence_note"].strip()
    partial_row = "[P] S33" in original

    law_name, law_tags = strip_tags(row["law_name"])
    loc_note, loc_tags = strip_tags(row["localization_note"])

    if original:
        notes.append(sentence(f"Source note: {original}"))
    notes.append("Verified [V] per regulatory-notes.md §7: EU/EEA membership, EU adequacy, "
                 "PPC equivalence, APEC CBPR, PPC survey coverage.")
    if partial_row:
        notes.append("Weaker: localization partly verified [P] S33 (one secondary source); "
                     "comprehensive_law and law_name not checked against the statute.")
    elif code in WEAKER_OVERRIDE:
        notes.append(WEAKER_OVERRIDE[code])
    else:
        notes.append("Weaker: comprehensive_law, law_name and localization are general knowledge [G], "
                     "not verified against a source.")
    if "?" in row["comprehensive_law"]:
        notes.append(f"comprehensive_law is uncertain (raw value {row['comprehensive_law'].strip()!r}).")
    if "?" in row["localization"]:
        notes.append(f"localization is uncertain (raw value {row['localization'].strip()!r}).")
    if "?" in law_name:
        notes.append("law_name contains an open question (marked '?').")
    for t in law_tags:
        notes.append(f"law_name tagged [{t}].")
    for t in loc_tags:
        if loc_note:
            notes.append(f"localization_note tagged [{t}].")
        else:
            notes.append(f"localization value tagged [{t}] in the source.")

    effective_from = DEFAULT_EFFECTIVE_FROM
    if code in EFFECTIVE_FROM:
        effective_from, why = EFFECTIVE_FROM[code]
        notes.append(sentence(why))

    source = BASE_SOURCE
    if code in EXTRA_SOURCES:
        source += "; " + ", ".join(EXTRA_SOURCES[code])

    return {
        "country_code": code,
        "effective_from": effective_from,
        "eu_member": boolean(row["eu_member"], "eu_member", code),
        "eea_member": boolean(row["eea_member"], "eea_member", code),
        "eu_adequacy": eu_adequacy(row["eu_adequacy"], code),
        "eu_adequacy_note": row["eu_adequacy_note"].strip(),
        "jp_ppc_equivalent": jp_equivalent(row["jp_ppc_equivalent"], code),
        "apec_cbpr": boolean(row["apec_cbpr"], "apec_cbpr", code),
        "ppc_survey": ppc_survey(row["ppc_survey"], code),
        "comprehensive_law": comprehensive_law(row["comprehensive_law"], code),
        "law_name": law_name,
        "localization": localization(row["localization"], code),
        "localization_note": loc_note,
        "confidence": "partial" if partial_row else "general",
        "confidence_note": " ".join(notes),
        "source": source,
        "verified_on": VERIFIED_ON,
    }


def main(argv):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    src = argv[1] if len(argv) > 1 else DEFAULT_INPUT
    out = argv[2] if len(argv) > 2 else os.path.join(repo, "seeds", "country-regimes.csv")
    with open(src, encoding="utf-8", newline="") as f:
        rows = [convert(r) for r in csv.DictReader(f)]
    codes = [r["country_code"] for r in rows]
    if len(set(codes)) != len(codes):
        sys.exit("generate-country-regimes: duplicate country codes in input")
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} regime rows to {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
