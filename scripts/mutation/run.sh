#!/usr/bin/env bash
# `npm run test:mutation [-- relay|lwc|wat] [-- --incremental]`: Stryker mutates the relay's and the worklist's
# TypeScript and re-runs their jest tests; `wat` mutates the WebAssembly scanner's source (scripts/mutation/wat.ts).
# Reports: reports/mutation/{relay,lwc}.html and .json, reports/mutation/wat.json (gitignored).
# --incremental re-tests only mutants in changed code or covered by changed tests (state in reports/mutation/).
set -euo pipefail
cd "$(dirname "$0")/../.."
targets=()
args=()
for a in "$@"; do
  case "$a" in
    relay | lwc | wat) targets+=("$a") ;;
    *) args+=("$a") ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(relay lwc wat)
npm run --silent build:lwc
status=0
declare -A breakAt=([relay]=95 [lwc]=85 [wat]=90)
for t in "${targets[@]}"; do
  if [ "$t" = wat ]; then
    echo "=== Mutation testing: wat ==="
    npx tsx scripts/mutation/wat.ts --break "${breakAt[wat]}" ${args[@]+"${args[@]}"} || status=$?
    continue
  fi
  echo "=== Mutation testing: $t ==="
  npx stryker run "scripts/mutation/$t.conf.mjs" ${args[@]+"${args[@]}"} || status=$?
  # The score without static mutants (scripts/mutation-score.ts says why), judged at the target.
  npx tsx scripts/mutation-score.ts "reports/mutation/$t.json" --break "${breakAt[$t]}" || status=$?
done
exit "$status"
