"""Refreshes the outputs shown in docs/cli.md (used by scripts/generate-cli-docs).

Every `$ domicile ...` line of a ```console block runs, in order, against one database,
as Tests/DomicileCLITests/CLIDocumentationTests.swift runs it (same environment, same
splitting, standard output then standard error), and the lines after it are replaced by
what it printed when they no longer match (`[...]` matches any text).

The exit status is the page's, never the program's: a step whose expected lines end in
`[exit N]` must exit N, any other step must exit 0. A step that exits otherwise is a
failure: it is reported and nothing is written.
"""
import os
import re
import subprocess
import sys

EXIT = re.compile(r"^\[exit (\d+)\]$")


def steps(lines):
    """(command, index of the command line, expected lines) for every command, in order."""
    found, in_block = [], False
    for index, line in enumerate(lines):
        if line.startswith("```"):
            in_block = line == "```console"
            continue
        if not in_block:
            continue
        if line.startswith("$ "):
            found.append([line[2:], index, []])
        elif found:
            found[-1][2].append(line)
    return found


def split(line):
    """Words as the test splits them: plain words and quoted strings, no escapes."""
    words, current, quote, in_word = [], "", None, False
    for character in line:
        if quote is not None:
            if character == quote:
                quote = None
            else:
                current += character
        elif character in "\"'":
            quote, in_word = character, True
        elif character == " ":
            if in_word:
                words.append(current)
            current, in_word = "", False
        else:
            current += character
            in_word = True
    if quote is not None:
        raise ValueError("unbalanced quote in: " + line)
    if in_word:
        words.append(current)
    return words


def matches(expected, actual):
    if len(expected) != len(actual):
        return False
    for want, got in zip(expected, actual):
        if "[...]" in want:
            pattern = "^" + ".*".join(re.escape(part) for part in want.split("[...]")) + "$"
            if not re.search(pattern, got):
                return False
        elif want != got:
            return False
    return True


def main(page, binary, database_url, root):
    text = open(page, encoding="utf-8").read()
    lines = text.split("\n")
    environment = {k: v for k, v in os.environ.items()
                   if k != "DATABASE_URL" and not k.startswith("PG") and not k.startswith("DOMICILE_")}
    environment.update({"DATABASE_URL": database_url, "DOMICILE_HOME": root,
                        "DOMICILE_ACTOR": "legal@a-ssign.example", "COLUMNS": "200"})
    rewrites, failures = [], []
    for command, index, expected in steps(lines):
        words = split(command)
        if not words or words[0] != "domicile":
            failures.append(f"{page}:{index + 1}: not a domicile command: {command}")
            continue
        want_status = 0
        if expected and EXIT.match(expected[-1]):
            want_status = int(EXIT.match(expected[-1]).group(1))
        result = subprocess.run([binary] + words[1:], cwd=root, env=environment, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        output = result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
        actual = output.split("\n")
        if actual and actual[-1] == "":
            actual.pop()
        if result.returncode != want_status:
            failures.append(f"{page}:{index + 1}: `{command}` exited {result.returncode}, the page shows exit {want_status}:\n"
                            + "\n".join("    " + line for line in actual))
            continue
        if want_status != 0:
            actual.append(f"[exit {want_status}]")
        if not matches(expected, actual):
            rewrites.append((index + 1, len(expected), actual))
    if failures:
        print("\n".join(failures), file=sys.stderr)
        print(f"{len(failures)} step(s) did not exit as the page shows; nothing was written. "
              "Fix the program or the example; to show an error on purpose, end the step's lines with [exit N].",
              file=sys.stderr)
        return 1
    for start, count, replacement in reversed(rewrites):
        lines[start:start + count] = replacement
    if rewrites:
        with open(page + ".tmp", "w", encoding="utf-8") as out:
            out.write("\n".join(lines))
        os.replace(page + ".tmp", page)
    for start, _, _ in rewrites:
        print(f"{page}:{start}: output refreshed")
    print(f"{page}: {len(rewrites)} step(s) refreshed")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
