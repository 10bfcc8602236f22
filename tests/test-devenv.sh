#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-devenv.sh MESON BUILDDIR SRCDIR VERSION
#
# Trawl runs uninstalled from the build folder through `meson devenv`, as
# README.md says: both programs are on its PATH, the GSettings schema
# compiled in the build folder is found, so are the translations compiled
# in its po/ and the icons in the source's data/, and trawl-cli crawls a
# site (the test site on 127.0.0.1) into a file that it reads back.
set -eu

meson=$1
builddir=$2
srcdir=$3
version=$4

# Nothing of meson test's own environment may stand in for the devenv's.
unset GSETTINGS_SCHEMA_DIR TRAWL_LOCALEDIR TRAWL_BUILDDIR XDG_DATA_DIRS

scratch=$(mktemp -d "${TMPDIR:-/tmp}/trawl-devenv.XXXXXX")
site_pid=
cleanup () {
  if [ -n "$site_pid" ]; then
    kill "$site_pid" 2>/dev/null || true
    wait "$site_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# -w: run in the scratch folder, not in the build folder (meson's default).
devenv () {
  "$meson" devenv -C "$builddir" -w "$scratch" "$@"
}

echo "1..6"
n=0
status=0
check () {
  n=$((n + 1))
  if [ "$1" = ok ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    status=1
  fi
}

# 1. PATH finds the programs just built, before any installed ones.
cli=$(devenv sh -c 'command -v trawl-cli') || cli=
gui=$(devenv sh -c 'command -v trawl') || gui=
if [ "$cli" = "$builddir/app/cli/trawl-cli" ] && [ "$gui" = "$builddir/app/gui/trawl" ]; then
  check ok "PATH has the build folder's trawl-cli and trawl"
else
  echo "# trawl-cli is '$cli', trawl is '$gui'"
  check fail "PATH has the build folder's trawl-cli and trawl"
fi

# 2. trawl-cli runs.
got=$(devenv trawl-cli --version 2>&1) || got="failed: $got"
if [ "$got" = "trawl-cli $version" ]; then
  check ok "trawl-cli --version says $version"
else
  echo "# $got"
  check fail "trawl-cli --version says $version"
fi

# 3. GSettings finds the schema compiled into the build folder, which the
#    window needs to start at all.
if devenv sh -c 'case $GSETTINGS_SCHEMA_DIR in "$0"/data*) ;; *) exit 1 ;; esac
                 gsettings list-keys io.github.trawl.Trawl' "$builddir" >/dev/null; then
  check ok "the schema compiled in the build folder is found"
else
  check fail "the schema compiled in the build folder is found"
fi

# 4. The window's strings come from the catalogues compiled in the build
#    folder (not from an installed Trawl's): trawl --help in Simplified
#    Chinese needs no display.
localedir=$(devenv sh -c 'echo "$TRAWL_LOCALEDIR"')
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
  n=$((n + 1))
  echo "ok $n - the translations compiled in the build folder are found # SKIP no zh_CN.UTF-8 locale"
elif [ "$localedir" = "$builddir/po" ] && [ -s "$localedir/zh_CN/LC_MESSAGES/trawl.mo" ] &&
     devenv env LANG=zh_CN.UTF-8 LANGUAGE=zh_CN LC_ALL= trawl --help 2>&1 |
     grep -q '在 Trawl 窗口中打开爬取文件'; then
  check ok "the translations compiled in the build folder are found"
else
  check fail "the translations compiled in the build folder are found"
fi

# 5. The icons are found as under DATADIR, and the system's folders are
#    still searched after them.
dirs=$(devenv sh -c 'echo "$XDG_DATA_DIRS"')
first=${dirs%%:*}
case ":$dirs:" in
  *:/usr/share:*) system=yes ;;
  *) system=no ;;
esac
if [ "$first" = "$srcdir/data" ] && [ $system = yes ] &&
   [ -s "$first/icons/hicolor/scalable/apps/io.github.trawl.Trawl.svg" ] &&
   [ -s "$first/icons/hicolor/symbolic/apps/io.github.trawl.Trawl-symbolic.svg" ]; then
  check ok "XDG_DATA_DIRS has the icons first and the system's folders after"
else
  echo "# XDG_DATA_DIRS is '$dirs'"
  check fail "XDG_DATA_DIRS has the icons first and the system's folders after"
fi

# 6. A real crawl of the test site: five pages, the home page, the three
#    sitemaps and the two orphans they list.
"$builddir/tests/trawl-test-site" --pages=5 --no-edge >"$scratch/site.out" 2>/dev/null &
site_pid=$!
url=
for _ in $(seq 100); do
  url=$(grep -o 'http://[^ ]*' "$scratch/site.out" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
if devenv trawl-cli crawl "$url" -o site.trawl >"$scratch/crawl.out" 2>&1 &&
   devenv trawl-cli stats site.trawl --json >"$scratch/stats.json" 2>&1 &&
   grep -q '"state" : "finished"' "$scratch/stats.json" &&
   grep -q '"pages" : 11,' "$scratch/stats.json"; then
  check ok "trawl-cli crawls the test site into a file in the working folder"
else
  sed 's/^/# /' "$scratch/crawl.out" "$scratch/stats.json" 2>/dev/null || true
  check fail "trawl-cli crawls the test site into a file in the working folder"
fi

exit $status
