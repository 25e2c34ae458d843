#!/usr/bin/env python3
"""Writes the table of dated regime facts (seeds/country-regime-facts.csv) into docs/seeds.md,
between the markers <!-- regime-facts:begin --> and <!-- regime-facts:end -->: one row per
fact with its value, its own effective dates (empty when no source gave one), confidence,
the day its sources were read and the sources. Standard library only.

    python3 scripts/generate-regime-facts-table.py
"""
import csv
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
facts = root / "seeds" / "country-regime-facts.csv"
doc = root / "docs" / "seeds.md"
begin, end = "<!-- regime-facts:begin -->", "<!-- regime-facts:end -->"


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


with facts.open(newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
lines = [
    "| country | fact | value | effective_from | effective_to | confidence | verified_on | source |",
    "|---|---|---|---|---|---|---|---|",
]
for r in rows:
    lines.append("| " + " | ".join(cell(r[c]) for c in (
        "country_code", "fact", "value", "effective_from", "effective_to", "confidence", "verified_on", "source")) + " |")
text = doc.read_text(encoding="utf-8")
if begin not in text or end not in text:
    sys.exit(f"{doc}: markers {begin} / {end} not found")
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
doc.write_text(head + begin + "\n" + "\n".join(lines) + "\n" + end + tail, encoding="utf-8")
print(f"{doc}: {len(rows)} facts")
