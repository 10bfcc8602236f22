#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Each translation in po/LINGUAS against the sources, as a TAP test.

The template is made afresh from the files in po/POTFILES.in, with the
xgettext options of meson's glib preset (the ones tests/check-potfiles.py
uses), so that a string added to the code since the .po was last merged
counts as well.  Each .po must pass msgfmt --check, and merged with that
template it must leave no string untranslated or fuzzy.

Usage: check-translations.py SOURCE_ROOT
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("check_potfiles", os.path.join(HERE, "check-potfiles.py"))
potfiles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(potfiles)

STATS = re.compile(r"(\d+) (translated|fuzzy|untranslated)")


def read_linguas(root):
    langs = []
    with open(os.path.join(root, "po", "LINGUAS"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0]
            langs.extend(line.split())
    return langs


def statistics(stderr):
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in STATS.findall(stderr):
        counts[kind] = int(number)
    return counts


def msgids(po, *selection):
    """The msgids msgattrib selects from @po (--untranslated, --only-fuzzy)."""
    result = subprocess.run(["msgattrib", "--no-obsolete", "--no-wrap", *selection, po],
                            capture_output=True, text=True)
    return [m for m in re.findall(r'^msgid "(.*)"$', result.stdout, re.M) if m]


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..")
    langs = read_linguas(root)
    tools = [shutil.which(t) for t in ("xgettext", "msgmerge", "msgfmt", "msgattrib")]

    print("TAP version 13")
    if None in tools:
        print("1..0 # SKIP gettext's tools (xgettext, msgmerge, msgfmt, msgattrib) are not installed")
        return 0
    if not langs:
        print("1..0 # SKIP po/LINGUAS names no language")
        return 0

    tests = []
    with tempfile.TemporaryDirectory() as tmp:
        files = [potfiles.resolve(root, p) for p in potfiles.read_potfiles(root)]
        files_from = os.path.join(tmp, "POTFILES")
        with open(files_from, "w", encoding="utf-8") as f:
            f.write("\n".join(p for p in files if p) + "\n")
        pot = os.path.join(tmp, "trawl.pot")
        made = subprocess.run(["xgettext", "--directory=" + root, "--files-from=" + files_from,
                               "--output=" + pot, "--package-name=trawl"] + potfiles.XGETTEXT_ARGS,
                              capture_output=True, text=True)
        if made.returncode != 0 or not os.path.isfile(pot):
            print("1..1")
            print("not ok 1 the template is made from po/POTFILES.in")
            for line in made.stderr.splitlines():
                print(f"# {line}")
            return 1

        for lang in langs:
            po = os.path.join(root, "po", lang + ".po")
            name = f"po/{lang}.po"
            if not os.path.isfile(po):
                tests.append((f"{name} exists", [f"po/LINGUAS names {lang}, but there is no {name}"]))
                continue

            checked = subprocess.run(["msgfmt", "--check", "--output-file=/dev/null", po],
                                     capture_output=True, text=True)
            problems = [line for line in checked.stderr.splitlines() if line.strip()]
            if checked.returncode != 0 and not problems:
                problems.append(f"msgfmt --check exited with {checked.returncode}")
            tests.append((f"{name} passes msgfmt --check", problems))

            merged = os.path.join(tmp, lang + ".po")
            merge = subprocess.run(["msgmerge", "--quiet", "--output-file=" + merged, po, pot],
                                   capture_output=True, text=True)
            if merge.returncode != 0:
                tests.append((f"{name} translates every string of the template",
                              [f"msgmerge failed: {merge.stderr.strip()}"]))
                continue
            stats = subprocess.run(["msgfmt", "--statistics", "--output-file=/dev/null", merged],
                                   capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
            counts = statistics(stats.stderr)
            problems = []
            missing = counts["untranslated"] + counts["fuzzy"]
            if missing:
                problems.append(f"{missing} string{'s' if missing != 1 else ''} in {name} need"
                                f"{'s' if missing == 1 else ''} translating; "
                                "run ninja -C _build trawl-update-po")
                problems += [f"untranslated: {m}" for m in msgids(merged, "--untranslated")]
                problems += [f"fuzzy: {m}" for m in msgids(merged, "--only-fuzzy")]
            elif counts["translated"] == 0:
                problems.append(f"{name} translates nothing")
            tests.append((f"{name} translates every string of the template "
                          f"({counts['translated']} translated)", problems))

    return potfiles.report(tests)


if __name__ == "__main__":
    sys.exit(main())
