#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# with-keyring.sh COMMAND [ARG…] — runs a test against a real Secret Service:
# a D-Bus session of its own with a gnome-keyring-daemon whose login keyring
# is created and unlocked for the test, in a folder that is removed after.
# The keyring of the person running the tests is never seen: the session
# bus, the data folder and the runtime folder (where a running daemon's
# control socket would be found) are all the test's own.
set -eu

dir=$(mktemp -d "${TMPDIR:-/tmp}/trawl-keyring.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
mkdir -m 700 "$dir/home" "$dir/data" "$dir/run"
export HOME="$dir/home" XDG_DATA_HOME="$dir/data" XDG_RUNTIME_DIR="$dir/run"
unset GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

status=0
# The daemon reads the new keyring's password from its standard input and
# goes away with the session bus; the test starts once it is on the bus.
dbus-run-session -- sh -c '
  printf %s trawl-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  gdbus wait --session --timeout 10 org.freedesktop.secrets
  exec "$@"' with-keyring "$@" || status=$?
exit $status
