#!/bin/sh
# Makes the test certificates in this folder again (see README.md).  The
# keys are for the tests only: they are public, so nothing may trust them.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# From 2000 to 2126: valid on any clock the tests will meet.
valid='-startdate 20000101000000Z -enddate 21260101000000Z'
for_loopback='subjectAltName = IP:127.0.0.1, DNS:localhost'
authority='basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign'
server='basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth'

key () {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
}

# Signs a certificate for the key $2, named $3, with the extensions $4:
# by the authority $5 (its certificate and key, stem.pem and stem.key),
# or by itself when $5 is empty.  Then openssl ca's date options.
certificate () {
  out=$1 subject_key=$2 name=$3 extensions=$4 issuer=$5
  shift 5
  cat > "$tmp/ca.conf" <<CONF
[ca]
default_ca = test
[test]
database = $tmp/index.txt
new_certs_dir = $tmp
serial = $tmp/serial
default_md = sha256
policy = any
x509_extensions = extensions
unique_subject = no
[any]
commonName = supplied
[extensions]
$extensions
CONF
  : > "$tmp/index.txt"
  openssl rand -hex 8 > "$tmp/serial"
  openssl req -new -key "$subject_key" -subj "/CN=$name" -out "$tmp/request.csr"
  if [ -n "$issuer" ]; then
    set -- -cert "$issuer.pem" -keyfile "$issuer.key" "$@"
  else
    set -- -selfsign -keyfile "$subject_key" "$@"
  fi
  openssl ca -batch -notext -config "$tmp/ca.conf" -in "$tmp/request.csr" -out "$out" "$@" 2>/dev/null
}

key server.key
key ca.key
key "$tmp/other-ca.key"
certificate ca.pem ca.key "Trawl test CA" "$authority" "" $valid
certificate "$tmp/other-ca.pem" "$tmp/other-ca.key" "Another test CA" "$authority" "" $valid

certificate server.pem server.key "Trawl test server" "$server
$for_loopback" ca $valid
certificate wrong-host.pem server.key "Trawl test server for other.example" "$server
subjectAltName = DNS:other.example" ca $valid
certificate expired.pem server.key "Trawl test server, expired" "$server
$for_loopback" ca -startdate 20000101000000Z -enddate 20010101000000Z
certificate other-ca.pem server.key "Trawl test server of another CA" "$server
$for_loopback" "$tmp/other-ca" $valid
certificate self-signed.pem server.key "Trawl self-signed test server" "$for_loopback" "" $valid

# The authority's key is not needed again: the next run makes a new one.
rm ca.key
