#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""flatpak/io.github.trawl.Trawl.json against meson.build, as a TAP test.

The manifest must build Trawl on the GNOME runtime that matches the library
versions meson.build asks for, reach the network, show on Wayland with X11
as the fallback, reach files only through the portals, and build as a module
every library the runtime does not provide.

Usage: check-flatpak.py SOURCE_ROOT
"""

import json
import os
import re
import sys

APP_ID = "io.github.trawl.Trawl"
RUNTIME = "org.gnome.Platform"
SDK = "org.gnome.Sdk"
# GTK 4.8, libadwaita 1.2, GLib 2.74 and libsoup 3.2 are GNOME 43's.
RUNTIME_VERSION = "43"

# The pkg-config names org.gnome.Platform//43 provides, from its definition:
# gnome-build-meta, branch gnome-43, elements/sdk-platform.bst (gtk, glib,
# libadwaita, libsoup 3, json-glib, libsecret are GNOME's own elements there)
# and the freedesktop-sdk 22.08 components it pulls in (libxml2, sqlite).
RUNTIME_PROVIDES = {
    "glib-2.0", "gio-2.0", "gobject-2.0", "gmodule-2.0", "gio-unix-2.0",
    "gtk4", "libadwaita-1",
    "libsoup-3.0", "libxml-2.0", "sqlite3",
    "json-glib-1.0", "libsecret-1",
}


def meson_dependencies(root):
    """The pkg-config names meson.build's dependency() calls ask for."""
    with open(os.path.join(root, "meson.build"), encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"#[^\n]*", "", text)
    return sorted(set(re.findall(r"\bdependency\s*\(\s*'([^']+)'", text)))


def module_names(modules):
    """Every module's name, nested ones included; a module may be a file name."""
    names = []
    for m in modules:
        if isinstance(m, str):
            names.append(os.path.splitext(os.path.basename(m))[0])
            continue
        names.append(m.get("name", ""))
        names.extend(module_names(m.get("modules", [])))
    return names


def check(name, ok, detail=""):
    return (name, ok, detail)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    path = os.path.join(root, "flatpak", APP_ID + ".json")
    results = []

    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print("TAP version 13\n1..1\nnot ok 1 the manifest is JSON\n# " + str(e))
        return 1
    results.append(check("the manifest is JSON", True))

    app_id = manifest.get("id", manifest.get("app-id"))
    results.append(check("id is " + APP_ID, app_id == APP_ID, f"id is {app_id!r}"))
    results.append(check(f"runtime is {RUNTIME}//{RUNTIME_VERSION}",
                         manifest.get("runtime") == RUNTIME and manifest.get("runtime-version") == RUNTIME_VERSION,
                         f"runtime {manifest.get('runtime')!r}, version {manifest.get('runtime-version')!r}"))
    results.append(check("sdk is " + SDK, manifest.get("sdk") == SDK, f"sdk is {manifest.get('sdk')!r}"))
    results.append(check("command is trawl", manifest.get("command") == "trawl",
                         f"command is {manifest.get('command')!r}"))

    finish_args = manifest.get("finish-args", [])
    for arg in ("--share=network", "--socket=wayland", "--socket=fallback-x11"):
        results.append(check("finish-args have " + arg, arg in finish_args))
    filesystem = [a for a in finish_args if a.startswith("--filesystem")]
    results.append(check("files only through the portals: no --filesystem", not filesystem,
                         "has " + ", ".join(filesystem)))
    results.append(check("X11 only as the fallback: no --socket=x11", "--socket=x11" not in finish_args))

    modules = manifest.get("modules", [])
    built = set(module_names(modules))
    unprovided = [d for d in meson_dependencies(root) if d not in RUNTIME_PROVIDES and d not in built]
    results.append(check("every pkg-config dependency is in the runtime or built as a module", not unprovided,
                         "neither in the runtime nor a module: " + ", ".join(unprovided)))

    last = modules[-1] if modules else {}
    last_ok = (isinstance(last, dict) and last.get("name") == "trawl" and last.get("buildsystem") == "meson"
               and "-Dtests=false" in last.get("config-opts", []))
    results.append(check("the last module is trawl, built with meson and -Dtests=false", last_ok,
                         "last module: " + json.dumps(last)[:200]))

    print("TAP version 13")
    print(f"1..{len(results)}")
    failed = False
    for i, (name, ok, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} {name}")
        if not ok:
            failed = True
            if detail:
                print("# " + detail)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
