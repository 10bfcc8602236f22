#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""po/POTFILES.in against the sources, as a TAP test.

Every file under app/, ui/ and data/ with a translatable string must be
listed, every listed file must exist and still have one, and xgettext must
read them all without a warning: a warning there is a string that translators
would get wrong or not at all (a bad c-format, an unterminated literal, an
unknown file type).

A data/ file that meson's i18n.merge_file() makes from a template (the
desktop file, the metainfo, the MIME package) may be listed as NAME while
the tree has NAME.in, or the other way round, so that the list survives a
file becoming a template that meson fills in.

Usage: check-potfiles.py SOURCE_ROOT
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

SCANNED = ("app", "ui", "data")

# A mark followed by a string literal: a comment that only names N_()
# (as app/core/trawl-audit.h does) is not one.
C_MARK = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2|g_dcgettext)\s*\(\s*(?:[A-Z_]+\s*,\s*|NULL\s*,\s*)?"')
UI_MARK = re.compile(r'translatable="(?:yes|true|1)"')
DESKTOP_KEY = re.compile(r"^(?:Name|GenericName|Comment|Keywords|X-GNOME-FullName)\s*=", re.M)
GSCHEMA_DOMAIN = re.compile(r"gettext-domain=")

# The kinds of data/ file that i18n.merge_file() fills in: NAME.in in the
# tree is NAME once built.
MERGED = (".desktop", ".metainfo.xml", ".appdata.xml", ".mime.xml")

# xgettext's options as meson's glib preset passes them (po/meson.build).
XGETTEXT_ARGS = [
    "--from-code=UTF-8",
    "--add-comments",
    "--keyword=_",
    "--keyword=N_",
    "--keyword=C_:1c,2",
    "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3",
    "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format",
    "--flag=C_:2:pass-c-format",
    "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format",
    "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format",
    "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format",
    "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format",
    "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format",
    "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format",
    "--flag=g_snprintf:3:c-format",
]


def canonical(path):
    """The name a data/ file is compared under: NAME.desktop.in is
    NAME.desktop, NAME.mime.xml.in is NAME.mime.xml."""
    if path.startswith("data/") and path.endswith(tuple(kind + ".in" for kind in MERGED)):
        return path[: -len(".in")]
    return path


def has_marks(root, path):
    with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
        text = f.read()
    name = path[: -len(".in")] if path.endswith(".in") else path
    if name.endswith((".c", ".h")):
        return C_MARK.search(text) is not None
    if name.endswith(".ui"):
        return UI_MARK.search(text) is not None
    if name.endswith(".desktop"):
        return DESKTOP_KEY.search(text) is not None
    if name.endswith((".metainfo.xml", ".appdata.xml")):
        # Every <name>, <summary> and <p> is translatable unless marked otherwise.
        return re.search(r"<(?:name|summary|p|li)\b", text) is not None
    if name.endswith(".gschema.xml"):
        return GSCHEMA_DOMAIN.search(text) is not None
    if name.endswith(".mime.xml"):
        # shared-mime-info's ITS rules translate every <comment>.
        return re.search(r"<comment\b", text) is not None
    if path.endswith(".in"):
        return UI_MARK.search(text) is not None or C_MARK.search(text) is not None
    return False


def scanned_files(root):
    found = []
    for top in SCANNED:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
                if rel.endswith((".c", ".h", ".ui")) or (rel.startswith("data/") and (
                        rel.endswith(".in") or rel.endswith(MERGED + (".gschema.xml",)))):
                    found.append(rel)
    return found


def read_potfiles(root):
    listed = []
    with open(os.path.join(root, "po", "POTFILES.in"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                listed.append(line)
    return listed


def resolve(root, path):
    """The file on disk a listed path stands for, or None."""
    candidates = [path]
    if path.startswith("data/"):
        if path.endswith(MERGED):
            candidates.append(path + ".in")
        elif canonical(path) != path:
            candidates.append(canonical(path))
    for c in candidates:
        if os.path.isfile(os.path.join(root, c)):
            return c
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    listed = read_potfiles(root)
    tests = []

    duplicates = sorted({canonical(p) for p in listed if [canonical(q) for q in listed].count(canonical(p)) > 1})
    tests.append(("POTFILES.in names each file once", [f"listed twice: {p}" for p in duplicates]))

    missing_files = []
    unmarked = []
    resolved = []
    for path in listed:
        on_disk = resolve(root, path)
        if on_disk is None:
            missing_files.append(f"listed but not in the tree: {path}")
        elif not has_marks(root, on_disk):
            unmarked.append(f"listed but has no translatable strings: {path}")
        else:
            resolved.append(on_disk)
    tests.append(("every listed file exists", missing_files))
    tests.append(("every listed file has translatable strings", unmarked))

    listed_names = {canonical(p) for p in listed}
    unlisted = [f"has translatable strings but is not in po/POTFILES.in: {p}"
                for p in scanned_files(root) if has_marks(root, p) and canonical(p) not in listed_names]
    tests.append(("every file with translatable strings is listed", unlisted))

    xgettext = shutil.which("xgettext")
    if xgettext is None:
        tests.append(("xgettext reads every listed file without a warning", None))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            files_from = os.path.join(tmp, "POTFILES")
            with open(files_from, "w", encoding="utf-8") as f:
                f.write("\n".join(resolved) + "\n")
            pot = os.path.join(tmp, "trawl.pot")
            result = subprocess.run([xgettext, "--directory=" + root, "--files-from=" + files_from,
                                     "--output=" + pot] + XGETTEXT_ARGS,
                                    capture_output=True, text=True)
            problems = [line for line in result.stderr.splitlines() if line.strip()]
            if result.returncode != 0:
                problems.append(f"xgettext exited with {result.returncode}")
            elif not os.path.isfile(pot) or "msgid" not in open(pot, encoding="utf-8").read():
                problems.append("xgettext wrote no strings")
        tests.append(("xgettext reads every listed file without a warning", problems))

    print("TAP version 13")
    return report(tests, "xgettext is not installed")


def report(tests, skip_reason=""):
    """Prints (name, problems) pairs as TAP: problems None is a skip, an
    empty list a pass.  Returns the exit status."""
    print(f"1..{len(tests)}")
    failed = False
    for i, (name, problems) in enumerate(tests, 1):
        if problems is None:
            print(f"ok {i} {name} # SKIP {skip_reason}")
        elif problems:
            failed = True
            print(f"not ok {i} {name}")
            for p in problems:
                print(f"# {p}")
        else:
            print(f"ok {i} {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
