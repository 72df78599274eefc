#!/usr/bin/env bash
# Offline Salesforce checks (no org needed): Apex semantics (apex-ls), custom fields used in SOQL/SOSL, PMD 7
# Apex rules, source → Metadata API conversion, the deploy package the CLI builds, report/dashboard references,
# tests per class and the relay contract in the Apex intake.
# Every step runs once, even after a failure, so one run shows every problem; exits 1 if any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."

# The Salesforce CLI must not phone home (update checks, telemetry) during a check.
export SF_AUTOUPDATE_DISABLE=true SF_DISABLE_TELEMETRY=true SF_SKIP_NEW_VERSION_CHECK=true SFDX_DISABLE_TELEMETRY=true

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
failed=()

step() {
  local name="$1"
  shift
  printf '\n--- %s ---\n' "$name"
  local started=$SECONDS
  if "$@" 2>&1; then
    printf -- '--- %s: ok (%ss)\n' "$name" "$((SECONDS - started))"
  else
    printf -- '--- %s: FAILED (%ss)\n' "$name" "$((SECONDS - started))"
    failed+=("$name")
  fi
}

convert_source() {
  npx --no-install sf project convert source -r force-app -d "$WORK/mdapi" >"$WORK/convert.log" 2>&1 ||
    { cat "$WORK/convert.log"; return 1; }
  npx --no-install tsx scripts/check-convert.ts "$WORK/mdapi"
}

step "Apex semantics (apex-ls CheckForIssues)" bash scripts/check-apex-semantics.sh
step "Custom fields in SOQL/SOSL exist" npx --no-install tsx scripts/check-soql-fields.ts
step "PMD 7 Apex rules (Security, Performance, BestPractices, ErrorProne)" npx --no-install tsx scripts/check-pmd.ts
step "sf project convert source" convert_source
step "Deploy package (CLI source-deploy-retrieve): every package.xml member has files" \
  npx --no-install tsx scripts/check-deploy-package.ts
step "Reports and dashboards name only what exists" npx --no-install tsx scripts/check-report-refs.ts
step "Test classes and relay contract in Apex" npx --no-install tsx scripts/check-apex-contract.ts
step "Callback lifecycle contract in Apex" npx --no-install tsx scripts/check-apex-lifecycle.ts
step "Picklist values written by settings and Apex exist" npx --no-install tsx scripts/check-picklist-values.ts
step "Apex test classes write unique values of their own" npx --no-install tsx scripts/check-apex-test-values.ts
step "Nothing is deployed from outside the project" npx --no-install tsx scripts/check-deploy-sources.ts

echo
if ((${#failed[@]} > 0)); then
  printf 'Salesforce offline checks FAILED: %s\n' "$(IFS=';'; echo "${failed[*]}")"
  exit 1
fi
echo "Salesforce offline checks passed"
