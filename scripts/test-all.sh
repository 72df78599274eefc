#!/usr/bin/env bash
# `npm test`: every check the project has, fail-fast, in the order a failure is cheapest to read.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s ===\n' "$*"; }

step "Build LWC TypeScript → JavaScript"
npm run --silent build:lwc
step "Type-check the relay"
npm run --silent typecheck
step "Lint (ESLint + Prettier)"
npm run --silent lint
step "Jest: relay, infrastructure, LWC"
npx jest --coverage
step "AWS CDK: synth the relay stack offline (no AWS credentials)"
synth_dir="$(mktemp -d)"
trap 'rm -rf "$synth_dir"' EXIT
(cd relay/infra && env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE \
  npx cdk synth --quiet --output "$synth_dir/cdk.out")
step "Salesforce offline checks"
bash scripts/check-salesforce.sh
