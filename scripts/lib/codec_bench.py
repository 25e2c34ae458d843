"""The `codecs` part of scripts/bench: Codable beside each hand-written JSON codec Domicile
has or had, in one process (scripts/lib/codec_bench.swift). The hand-written codecs are taken
from the source: JSONFieldParser and JSONField as they are now (Sources/DomicileStore), and
JSONText and BatchJSON's writer as they were before issue 14 replaced them with Codable
(commit a1a2bc8, read with `git show`). Prints rows for bench.py's table format."""
import os
import re
import subprocess
import sys
import time

work, scale, runs = sys.argv[1], sys.argv[2], sys.argv[3]
BEFORE = "a1a2bc8"


def git_show(path):
    return subprocess.run(["git", "show", f"{BEFORE}:{path}"], check=True, stdout=subprocess.PIPE, text=True).stdout


def block(text, start):
    """From the line starting with `start` to the closing brace at the start of a line."""
    index = text.index(start)
    end = text.index("\n}\n", index)
    return text[index:end + 3]


sources = os.path.join(work, "codec-bench")
os.makedirs(sources, exist_ok=True)
with open(os.path.join(sources, "JSONText.swift"), "w") as out:
    out.write(git_show("Sources/DomicileCore/Formats/JSONText.swift"))
with open(os.path.join(sources, "OldBatchJSON.swift"), "w") as out:
    old = block(git_show("Sources/DomicileStore/Store+Insert.swift"), "enum BatchJSON: PostgresEncodable {")
    out.write("import Foundation\n\n" + old.replace("enum BatchJSON: PostgresEncodable {", "enum OldBatchJSON {").replace("BatchJSON", "OldBatchJSON").replace("OldOldBatchJSON", "OldBatchJSON"))
with open(os.path.join(sources, "JSONFieldParser.swift"), "w") as out:
    parser = open("Sources/DomicileStore/JSONFieldParser.swift", encoding="utf-8").read()
    parser = parser.replace("import Postgres\n", "import Foundation\n")
    parser = parser[:parser.index("\nextension JSONFieldParser {")]
    field = block(open("Sources/DomicileStore/Store+Records.swift", encoding="utf-8").read(), "enum JSONField: Codable {")
    out.write(parser + "\n\n" + field)
main = os.path.join(sources, "main.swift")
with open(main, "w") as out:
    out.write(open("scripts/lib/codec_bench.swift", encoding="utf-8").read())
binary = os.path.join(sources, "codec-bench")
subprocess.run(["swiftc", "-O", "-o", binary] + [os.path.join(sources, name) for name in
               ["main.swift", "JSONText.swift", "OldBatchJSON.swift", "JSONFieldParser.swift"]], check=True)
output = subprocess.run([binary, scale, runs], check=True, stdout=subprocess.PIPE, text=True).stdout


def seconds(value):
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


rows = [("part", "measure", "Codable", "hand-written", "ratio", "output")]
for line in output.splitlines():
    measure, codable, hand, check = line.split("\t")
    rows.append(("codecs", measure, seconds(float(codable)), seconds(float(hand)), f"{float(codable) / float(hand):.2f}x", check))
print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
print(f"scale {float(scale):g}; median of {runs} runs; ratio = Codable time ÷ hand-written time (same process, same input); "
      "output: whether both gave the same value")
widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
for row in rows:
    print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
if any(row[5] == "DIFFERENT" for row in rows[1:]):
    sys.exit("codecs: a Codable and a hand-written codec disagree")
