#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# installed-files.sh MESON BUILDDIR PREFIX BINDIR DATADIR
#
# Installs the build into a scratch DESTDIR, as a distribution's package
# build would, and checks that every file the desktop needs is there: the
# two programs, the desktop file, the metainfo, both icons, the MIME
# package and the D-Bus service, whose Exec names the installed program.
set -eu

meson=$1
builddir=$2
prefix=$3
bindir=$4
datadir=$5
app_id=io.github.trawl.Trawl

destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT

# --no-rebuild: meson test has built everything already, and a rebuild
# from inside a test would race the build that started it.
"$meson" install -C "$builddir" --destdir "$destdir" --no-rebuild --quiet >/dev/null

root=$destdir$prefix
case $bindir in /*) bin=$destdir$bindir ;; *) bin=$root/$bindir ;; esac
case $datadir in /*) share=$destdir$datadir ;; *) share=$root/$datadir ;; esac

set -- \
  "$bin/trawl" \
  "$bin/trawl-cli" \
  "$share/applications/$app_id.desktop" \
  "$share/metainfo/$app_id.metainfo.xml" \
  "$share/icons/hicolor/scalable/apps/$app_id.svg" \
  "$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg" \
  "$share/mime/packages/$app_id.mime.xml" \
  "$share/dbus-1/services/$app_id.service"

echo "1..$(($# + 2))"
n=0
status=0
for file in "$@"; do
  n=$((n + 1))
  name=${file#"$destdir"}
  if [ -s "$file" ]; then
    echo "ok $n - $name"
  else
    echo "not ok $n - $name is missing or empty"
    status=1
  fi
done

# A D-Bus activated Trawl is started by the bus, so the service file must
# name the installed program and the application's bus name.
service=$share/dbus-1/services/$app_id.service
n=$((n + 1))
if grep -qx "Name=$app_id" "$service" 2>/dev/null &&
   grep -qx "Exec=${bin#"$destdir"}/trawl --gapplication-service" "$service"; then
  echo "ok $n - the D-Bus service starts ${bin#"$destdir"}/trawl as a service"
else
  echo "not ok $n - the D-Bus service does not start ${bin#"$destdir"}/trawl --gapplication-service"
  status=1
fi

# The desktop file is the translated one, and it says Trawl is D-Bus
# activatable and opens its own files.
desktop=$share/applications/$app_id.desktop
n=$((n + 1))
if grep -qx 'DBusActivatable=true' "$desktop" 2>/dev/null &&
   grep -qx 'MimeType=application/x-trawl-crawl;application/x-trawl-job;' "$desktop"; then
  echo "ok $n - the desktop file is D-Bus activatable and handles Trawl's files"
else
  echo "not ok $n - the desktop file lacks DBusActivatable=true or Trawl's MIME types"
  status=1
fi

exit $status
