#!/usr/bin/env bash
# Creates the key pair for the relay's OAuth 2.0 JWT bearer flow: an RSA 2048 private key (stays with the relay,
# goes into the AWS Secrets Manager secret) and a self-signed X.509 certificate (uploaded to the Salesforce
# External Client App). The key never enters git: *.key and *.pem are gitignored, and the key is mode 600.
#
# Usage: scripts/generate-jwt-cert.sh [OUT_DIR] [--days N] [--cn NAME] [--force]
#   OUT_DIR  default: .jwt at the repository root
#   --days   certificate validity, 1-825 days (default 730, two years; rotate before it expires)
#   --cn     certificate common name (default connect-relay)
#   --force  replace an existing key pair (the External Client App must then get the new certificate)
# Writes OUT_DIR/connect-relay.key (PKCS#8 PEM) and OUT_DIR/connect-relay-cert.pem, then verifies they match.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT_DIR=""
DAYS=730
CN="connect-relay"
FORCE=false

die() {
  echo "generate-jwt-cert: $*" >&2
  exit 2
}

while (($# > 0)); do
  case "$1" in
    --days)
      [[ $# -ge 2 ]] || die "--days needs a value"
      DAYS="$2"
      shift 2
      ;;
    --cn)
      [[ $# -ge 2 ]] || die "--cn needs a value"
      CN="$2"
      shift 2
      ;;
    --force)
      FORCE=true
      shift
      ;;
    -h | --help)
      sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*) die "unknown option $1 (see --help)" ;;
    *)
      [[ -z "$OUT_DIR" ]] || die "only one OUT_DIR may be given"
      OUT_DIR="$1"
      shift
      ;;
  esac
done

if ! [[ "$DAYS" =~ ^[0-9]+$ ]] || ((10#$DAYS < 1 || 10#$DAYS > 825)); then die "--days must be a whole number from 1 to 825"; fi
DAYS=$((10#$DAYS))
[[ "$CN" =~ ^[A-Za-z0-9._-]{1,64}$ ]] || die "--cn may use letters, digits, '.', '_' and '-' (1-64 characters)"
command -v openssl >/dev/null 2>&1 || die "openssl not found: install it (e.g. apt-get install openssl)"

OUT_DIR="${OUT_DIR:-$ROOT/.jwt}"
KEY="$OUT_DIR/connect-relay.key"
CERT="$OUT_DIR/connect-relay-cert.pem"

if [[ -e "$KEY" || -e "$CERT" ]] && [[ "$FORCE" != true ]]; then
  die "$KEY or $CERT already exists; use --force to replace the key pair"
fi

mkdir -p "$OUT_DIR"
chmod 700 "$OUT_DIR"
# The key is created private from the first byte, not chmod-ed afterwards.
umask 077
rm -f "$KEY" "$CERT"

openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days "$DAYS" \
  -subj "/CN=$CN/O=Amazon Connect dropped-call relay" \
  -keyout "$KEY" -out "$CERT" 2>/dev/null || die "openssl could not create the key pair"
chmod 600 "$KEY"
chmod 644 "$CERT"

# The certificate must carry the public half of this key, or Salesforce rejects every assertion we sign.
key_pub="$(openssl pkey -in "$KEY" -pubout 2>/dev/null)"
cert_pub="$(openssl x509 -in "$CERT" -noout -pubkey 2>/dev/null)"
if [[ -z "$key_pub" || "$key_pub" != "$cert_pub" ]]; then
  rm -f "$KEY" "$CERT"
  die "the certificate does not match the private key (openssl problem); nothing was kept"
fi

echo "Private key:  $KEY (keep secret; goes into the relay's Secrets Manager secret as privateKey)"
echo "Certificate:  $CERT (upload to the External Client App; public)"
openssl x509 -in "$CERT" -noout -subject -enddate -fingerprint -sha256 | sed 's/^/  /'
