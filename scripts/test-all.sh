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
step "Salesforce offline checks"
bash scripts/check-salesforce.sh
