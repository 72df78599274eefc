#!/usr/bin/env bash
# Prints the relay's Salesforce secret JSON {clientId, username, privateKey, clientSecret, loginUrl} to stdout,
# for piping into `aws secretsmanager put-secret-value --secret-string file:///dev/stdin`, so the private key
# is never on a command line or in shell history.
#
# Usage: scripts/relay-secret-json.sh --client-id ID --login-url URL
#          (--username USER --private-key-file KEY.pem | --client-secret-file FILE)
#   JWT bearer:          --username and --private-key-file (PEM, as written by scripts/generate-jwt-cert.sh)
#   Client credentials:  --client-secret-file (a file holding only the consumer secret)
set -euo pipefail

CLIENT_ID=""
USERNAME=""
KEY_FILE=""
SECRET_FILE=""
LOGIN_URL=""

die() {
  echo "relay-secret-json: $*" >&2
  exit 2
}

while (($# > 0)); do
  [[ $# -ge 2 ]] || die "$1 needs a value"
  case "$1" in
    --client-id) CLIENT_ID="$2" ;;
    --username) USERNAME="$2" ;;
    --private-key-file) KEY_FILE="$2" ;;
    --client-secret-file) SECRET_FILE="$2" ;;
    --login-url) LOGIN_URL="$2" ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done

[[ -n "$CLIENT_ID" ]] || die "--client-id is required"
[[ "$LOGIN_URL" =~ ^https://[^/]+/?$ ]] || die "--login-url must be an https origin, e.g. https://login.salesforce.com"
if [[ -n "$KEY_FILE" ]]; then
  [[ -n "$USERNAME" ]] || die "--username is required with --private-key-file"
  [[ -r "$KEY_FILE" ]] || die "cannot read $KEY_FILE"
  grep -q -- '-----BEGIN .*PRIVATE KEY-----' "$KEY_FILE" || die "$KEY_FILE is not a PEM private key"
elif [[ -n "$SECRET_FILE" ]]; then
  [[ -r "$SECRET_FILE" ]] || die "cannot read $SECRET_FILE"
else
  die "give --private-key-file (jwt) or --client-secret-file (client_credentials)"
fi

# File contents are read inside node, never passed as arguments.
node -e '
  const fs = require("node:fs");
  const [clientId, username, keyFile, secretFile, loginUrl] = process.argv.slice(1);
  const out = {
    clientId,
    username,
    privateKey: keyFile ? fs.readFileSync(keyFile, "utf8").trim() + "\n" : "",
    clientSecret: secretFile ? fs.readFileSync(secretFile, "utf8").trim() : "",
    loginUrl: loginUrl.replace(/\/$/, "")
  };
  process.stdout.write(JSON.stringify(out));' "$CLIENT_ID" "$USERNAME" "$KEY_FILE" "$SECRET_FILE" "$LOGIN_URL"
