#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The manual pages render without a warning from groff (-ww: all of
# them) and, where it is installed, pass mandoc's lint.  Prints TAP.
#
# Usage: test-man.sh PAGE…
n=0
status=0
echo "1..$(($# * 2))"
for page in "$@"; do
  name=$(basename "$page")
  n=$((n + 1))
  warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
  if [ $? -eq 0 ] && [ -z "$warnings" ]; then
    echo "ok $n - groff renders $name without warnings"
  else
    echo "not ok $n - groff renders $name without warnings"
    printf '%s\n' "$warnings" | sed 's/^/# /'
    status=1
  fi
  n=$((n + 1))
  if ! command -v mandoc >/dev/null; then
    echo "ok $n - mandoc -Tlint $name # SKIP mandoc is not installed"
  elif warnings=$(mandoc -Tlint "$page" 2>&1) && [ -z "$warnings" ]; then
    echo "ok $n - mandoc -Tlint $name"
  else
    echo "not ok $n - mandoc -Tlint $name"
    printf '%s\n' "$warnings" | sed 's/^/# /'
    status=1
  fi
done
exit $status
