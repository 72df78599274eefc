#!/usr/bin/env bash
# Writes a deployable copy of the Connect Relay External Client App (config/external-client-app/) into OUT_DIR, with the
# JWT certificate in its global OAuth settings. The global settings hold the certificate and the consumer key
# and must not be committed, so only a template lives in git and the filled-in copy goes to a temporary dir.
#
# Usage: scripts/stage-eca.sh CERT_PEM OUT_DIR
#   then: sf project deploy start --source-dir OUT_DIR --target-org ORG   (run from the repository root)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
die() {
  echo "stage-eca: $*" >&2
  exit 2
}
[[ $# -eq 2 ]] || die "usage: scripts/stage-eca.sh CERT_PEM OUT_DIR"
CERT="$1"
OUT="$2"
[[ -r "$CERT" ]] || die "cannot read $CERT"
grep -q -- '-----BEGIN CERTIFICATE-----' "$CERT" || die "$CERT is not a PEM certificate"
if grep -q -- 'PRIVATE KEY' "$CERT"; then die "$CERT contains a private key; give the certificate only"; fi
if [[ -e "$OUT" ]] && [[ -n "$(ls -A "$OUT")" ]]; then die "$OUT is not empty"; fi

mkdir -p "$OUT"
cp -R "$ROOT/config/external-client-app/." "$OUT/"
TEMPLATE="$(find "$OUT/extlClntAppGlobalOauthSets" -name '*.ecaGlblOauth-meta.xml.template' | head -1)"
[[ -n "$TEMPLATE" ]] || die "no global OAuth settings template in config/external-client-app/"
node -e '
  const fs = require("node:fs");
  const [template, cert, out] = process.argv.slice(1);
  const pem = fs.readFileSync(cert, "utf8").trim();
  const xml = fs.readFileSync(template, "utf8");
  if (!xml.includes("@@CERTIFICATE_PEM@@")) throw new Error("template has no @@CERTIFICATE_PEM@@ marker");
  fs.writeFileSync(out, xml.replace("@@CERTIFICATE_PEM@@", pem));
  fs.unlinkSync(template);' "$TEMPLATE" "$CERT" "${TEMPLATE%.template}"
echo "$OUT"
