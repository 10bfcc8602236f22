#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks Trawl's shared-mime-info package: it is well-formed XML,
# update-mime-database compiles it, and GIO, reading the compiled database
# as the file manager would, names a .trawl and a .trawljob file by
# Trawl's types while an unrelated SQLite file stays a plain database.
#
#   check-mime.sh io.github.trawl.Trawl.mime.xml
set -eu

package=$1
: "${XMLLINT:=xmllint}"
: "${UPDATE_MIME_DATABASE:=update-mime-database}"

echo "1..4"

"$XMLLINT" --noout "$package"
echo "ok 1 - the package is well-formed XML"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/data/mime/packages" "$scratch/files"
cp "$package" "$scratch/data/mime/packages/"
XDG_DATA_HOME="$scratch/data" "$UPDATE_MIME_DATABASE" "$scratch/data/mime"
grep -q '^application/x-trawl-crawl application/vnd.sqlite3$' "$scratch/data/mime/subclasses"
grep -q '^application/x-trawl-job text/plain$' "$scratch/data/mime/subclasses"
echo "ok 2 - update-mime-database compiles it"

# The system's database comes after the scratch one, so that the parent
# types are known.
content_type () {
  XDG_DATA_HOME="$scratch/data" XDG_DATA_DIRS="${XDG_DATA_DIRS:-/usr/local/share:/usr/share}" \
    gio info -a standard::content-type "$1" | sed -n 's/^ *standard::content-type: //p'
}

expect () {
  got=$(content_type "$1")
  if [ "$got" != "$2" ]; then
    echo "# $(basename "$1"): $got, expected $2"
    return 1
  fi
}

printf 'SQLite format 3\000' > "$scratch/files/example.org.trawl"
printf 'SQLite format 3\000' > "$scratch/files/other.db"
printf '[crawl]\nurl=https://example.org/\n' > "$scratch/files/site.trawljob"

if expect "$scratch/files/example.org.trawl" application/x-trawl-crawl &&
   expect "$scratch/files/site.trawljob" application/x-trawl-job; then
  echo "ok 3 - .trawl and .trawljob files get Trawl's types"
else
  echo "not ok 3 - .trawl and .trawljob files get Trawl's types"
  exit 1
fi

if expect "$scratch/files/other.db" application/vnd.sqlite3; then
  echo "ok 4 - another SQLite file stays a SQLite database"
else
  echo "not ok 4 - another SQLite file stays a SQLite database"
  exit 1
fi
