#!/usr/bin/env python3
"""docs/cli.md documents every command of backchannel-cli. Fails when a command or subcommand
listed by `--help` has no `### \\`COMMAND\\`` heading there, when a documented command has an
option that its section does not mention (long or short spelling), or when a heading names a
command that does not exist. A positive control first checks that a doc with one heading removed
is caught.

usage: cli_doc_test.py CLI DOC        (ctest: cli_reference_complete)
"""
import re
import subprocess
import sys

SUBCOMMAND = re.compile(r"^  ([a-z][a-z0-9-]*)(?:\s|$)")
OPTION = re.compile(r"^  (?:(-[A-Za-z]),)?(--[a-z][a-z0-9-]*)")
HEADING = re.compile(r"^(#{1,6}) (.*)$")
COMMAND_HEADING = re.compile(r"^### `([a-z][a-z0-9 -]*)`\s*$")


def help_of(cli, path):
    r = subprocess.run([cli, *path, "--help"], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        sys.exit(f"cli_doc_test: `{' '.join(path)} --help` exited {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def section(text, title):
    """The indented lines under `title:` up to the next unindented line."""
    lines, inside = [], False
    for line in text.splitlines():
        if line.rstrip() == title + ":":
            inside = True
            continue
        if inside:
            if line and not line.startswith(" "):
                break
            lines.append(line)
    return lines


def commands(cli, path=()):
    """{command path: (long options, has subcommands)} for every command under `path`."""
    text = help_of(cli, list(path))
    subs = [m.group(1) for l in section(text, "Subcommands") if (m := SUBCOMMAND.match(l))]
    # Each option as its spellings: ("-o", "--output") or ("--meeting",); either may document it.
    opts = sorted({tuple(x for x in m.groups() if x) for l in section(text, "Options") if (m := OPTION.match(l))}
                  - {("-h", "--help")})
    found = {" ".join(path): (opts, bool(subs))}
    for s in subs:
        found.update(commands(cli, (*path, s)))
    return found


def doc_sections(doc):
    """{command heading: the text of its section} for the `### \\`...\\`` headings."""
    out, current, level, body = {}, None, 0, []
    for line in doc.splitlines() + ["# end"]:
        h = HEADING.match(line)
        if h and current is not None and len(h.group(1)) <= level:
            out[current] = "\n".join(body)
            current = None
        if h:
            m = COMMAND_HEADING.match(line)
            if m:
                current, level, body = m.group(1), len(h.group(1)), []
                continue
        if current is not None:
            body.append(line)
    return out


def mentions(text, spellings):
    return any(re.search(r"(?<![\w-])" + re.escape(s) + r"(?![\w-])", text) for s in spellings)


def problems(found, doc):
    sections = doc_sections(doc)
    out = []
    for path, (opts, has_subs) in sorted(found.items()):
        if not path:
            for o in opts:
                if not mentions(doc, o):
                    out.append(f"the global option {o[-1]} is not documented")
            continue
        pure_group = has_subs and not opts
        if pure_group:
            if not any(h == path or h.startswith(path + " ") for h in sections):
                out.append(f"`{path}` has no heading (### `{path} ...`)")
            continue
        if path not in sections:
            out.append(f"`{path}` has no heading (### `{path}`)")
            continue
        for o in opts:
            if not mentions(sections[path], o):
                out.append(f"`{path}`: its option {'/'.join(o)} is not in its section")
    for h in sections:
        if h not in found:
            out.append(f"### `{h}` names no command of the CLI")
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    cli, doc_path = sys.argv[1], sys.argv[2]
    doc = open(doc_path, encoding="utf-8").read()
    found = commands(cli)
    leaves = [p for p, (_, subs) in found.items() if p and not subs]
    if len(leaves) < 20:
        sys.exit(f"cli_doc_test: only {len(leaves)} commands found in --help; is the parser of the help text broken?")
    # Positive control: remove the heading of one documented command; the check must notice.
    victim = next(p for p in sorted(leaves) if f"### `{p}`" in doc)
    control = doc.replace(f"### `{victim}`", "### removed")
    if not any(f"`{victim}`" in p for p in problems(found, control)):
        sys.exit(f"cli_doc_test: the positive control failed: removing `{victim}`'s heading went unnoticed")
    out = problems(found, doc)
    if out:
        print(f"{doc_path} is out of date with the CLI's --help:", file=sys.stderr)
        for p in out:
            print("  " + p, file=sys.stderr)
        sys.exit(1)
    print(f"cli_doc_test: {len(found) - 1} commands and subcommands, each documented with its options")


if __name__ == "__main__":
    main()
