#!/usr/bin/env bash
# `npm run test:mutation [-- relay|lwc] [-- --incremental]`: Stryker mutates the relay's and the worklist's
# TypeScript and re-runs their jest tests. Reports: reports/mutation/{relay,lwc}.html and .json (gitignored).
# --incremental re-tests only mutants in changed code or covered by changed tests (state in reports/mutation/).
set -euo pipefail
cd "$(dirname "$0")/../.."
targets=()
args=()
for a in "$@"; do
  case "$a" in
    relay | lwc) targets+=("$a") ;;
    *) args+=("$a") ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(relay lwc)
npm run --silent build:lwc
status=0
declare -A breakAt=([relay]=95 [lwc]=85)
for t in "${targets[@]}"; do
  echo "=== Mutation testing: $t ==="
  npx stryker run "scripts/mutation/$t.conf.mjs" ${args[@]+"${args[@]}"} || status=$?
  # The score without static mutants (scripts/mutation-score.ts says why), judged at the target.
  npx tsx scripts/mutation-score.ts "reports/mutation/$t.json" --break "${breakAt[$t]}" || status=$?
done
exit "$status"
