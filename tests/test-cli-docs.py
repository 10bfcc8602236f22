#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""trawl-cli's --help and trawl-cli(1) describe the same program.

Usage: test-cli-docs.py TRAWL-CLI MANPAGE

Prints TAP.  Checks that "trawl-cli --help" gives every command a line of
its own with a description, that every option each command's --help-all
prints has a description and, when it takes a value, names it, and that
the options of each command in the manual page's OPTIONS section are
exactly those its --help-all prints.
"""

import re
import subprocess
import sys
import tempfile

COMMON = {"-h", "--help", "--help-all"}
OPTION_LINE = re.compile(r"^ +(?:(-\w), +)?(--[\w-]+)(=\S+(?: \S+)*)?(?: {2,}(.*))?$")

results = []
# Nothing these commands run may leave a file where the tests run.
workdir = tempfile.TemporaryDirectory()


def check(ok, name, detail=""):
    results.append((ok, name, detail))


def run(program, *args):
    return subprocess.run([program, *args], capture_output=True, text=True, timeout=30, cwd=workdir.name,
                          env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"})


def commands_from_help(program):
    """The commands and their descriptions, from trawl-cli --help."""
    out = run(program, "--help").stdout
    block = out.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    commands = {}
    for line in block.splitlines():
        match = re.match(r"^  ([a-z]+)(?: \S+)* {2,}(\S.*)$", line)
        check(match is not None, f"trawl-cli --help: '{line.strip()}' is a command with a description")
        if match:
            commands[match.group(1)] = match.group(2)
    return commands


def options_from_help(program, command):
    """{option: (argument, description, group)} from COMMAND --help-all."""
    out = run(program, command, "--help-all").stdout
    options = {}
    group = ""
    for line in out.splitlines():
        if line and not line.startswith(" ") and line.endswith(":"):
            group = line
            continue
        match = OPTION_LINE.match(line)
        if not match:
            continue
        short, long, arg, description = match.groups()
        for name in filter(None, (short, long)):
            options[name] = (arg[1:] if arg else None, description, group)
    return options


def man_sections(path):
    """{section title: set of options tagged in it}, for OPTIONS's .SS."""
    sections = {}
    current = None
    in_options = False
    lines = open(path, encoding="utf-8").read().splitlines()
    for i, line in enumerate(lines):
        if line.startswith(".SH"):
            in_options = line.split(None, 1)[1].strip('"') == "OPTIONS"
            current = None
        elif in_options and line.startswith(".SS"):
            current = line.split(None, 1)[1].strip('"')
            sections[current] = set()
        elif current is not None and line == ".TP" and i + 1 < len(lines):
            tag = re.sub(r"\\f[BIRP]", "", lines[i + 1].replace("\\-", "-"))
            sections[current].update(re.findall(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)", tag))
    return sections


def takes_no_value(program, command, option):
    """Whether GOption takes OPTION alone: an option with a value left
    out of its arg_description would ask for one here."""
    result = run(program, command, option)
    return "Missing argument" not in result.stderr


def main():
    program, manpage = sys.argv[1], sys.argv[2]
    commands = commands_from_help(program)
    check(set(commands) == {"crawl", "resume", "stats", "export", "extract"},
          "trawl-cli --help lists every command", f"it lists {sorted(commands)}")
    sections = man_sections(manpage)
    common = sections.get("Options of every command", set())
    check(common == COMMON | {"--version"}, "trawl-cli(1) has the options of every command",
          f"it has {sorted(common)}")
    check("--version" in run(program, "--help").stdout, "trawl-cli --help names --version")

    for command in commands:
        options = options_from_help(program, command)
        documented = set(sections.get(command, set()))
        if command == "crawl":
            documented |= sections.get("Crawl settings", set())
        check(bool(documented), f"trawl-cli(1) has a section for {command}")

        for name, (arg, description, group) in sorted(options.items()):
            check(bool(description), f"{command} --help describes {name}")
            if arg is None and name not in COMMON and not name.startswith("--help"):
                check(takes_no_value(program, command, name),
                      f"{command} --help names the value {name} takes")
            if name in COMMON:
                continue
            check(name in documented, f"trawl-cli(1) documents {command} {name}")

        for name in sorted(documented):
            # The hidden --no- form of an on/off crawl setting.
            base = "--" + name[5:] if name.startswith("--no-") else None
            exists = name in options or (base in options and options[base][0] is None and
                                         options[base][2].startswith("Crawl settings"))
            check(exists, f"{command} --help-all has {name}, which trawl-cli(1) documents")

    print(f"1..{len(results)}")
    for n, (ok, name, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {n} - {name}")
        if not ok and detail:
            print(f"# {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
