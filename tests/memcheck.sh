#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# memcheck.sh COMMAND [ARG…] — runs a test under valgrind's memcheck, the
# wrapper of `meson test --setup valgrind`.  Errors and definite leaks fail
# it; valgrind.supp beside this script and GLib's glib.supp name the system
# libraries' own.  A test that runs through with-keyring.sh gets valgrind
# on the test program, not on the shell, D-Bus and keyring daemon that the
# script starts first.  Programs a test starts itself (trawl-cli, node,
# python) run as they are.
set -eu

# The tests of data/ run system tools (desktop-file-validate, appstreamcli,
# update-mime-database, meson install), not Trawl's code: memcheck would
# find only those tools' own leaks there, so they set TRAWL_NO_MEMCHECK.
if [ -n "${TRAWL_NO_MEMCHECK:-}" ]; then
  exec "$@"
fi

here=$(cd "$(dirname "$0")" && pwd)
glib=$(pkg-config --variable=prefix glib-2.0)
keyring=
case "$1" in
  */with-keyring.sh) keyring=$1; shift ;;
esac
# Valgrind runs one thread at a time; a fair turn for each keeps a busy
# thread from holding back the others far longer than a kernel would.
set -- valgrind --quiet --error-exitcode=1 --leak-check=full \
  --errors-for-leak-kinds=definite --show-leak-kinds=definite \
  --num-callers=30 --fair-sched=yes \
  --suppressions="$here/valgrind.supp" \
  --suppressions="$glib/share/glib-2.0/valgrind/glib.supp" "$@"
exec ${keyring:+"$keyring"} "$@"
