#!/usr/bin/env bash
# Apex semantics offline: apex-ls CheckForIssues (the jar shipped in @salesforce/code-analyzer-pmd-engine) over a
# Salesforce DX project: unknown types, methods, variables and fields fail it. Prints nothing but a summary when
# the code is clean.
# Usage: scripts/check-apex-semantics.sh [PROJECT_DIR=repository root] (needs its sfdx-project.json)
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PROJECT="${1:-$ROOT}"
JAVA_LIB="$ROOT/node_modules/@salesforce/code-analyzer-pmd-engine/dist/java-lib"

if ! command -v java >/dev/null 2>&1; then
  echo "java not found: install a JRE 11+ (Java 17 recommended)"
  exit 1
fi
# Exits non-zero on any error.
java -cp "$JAVA_LIB/*" io.github.apexdevtools.apexls.CheckForIssues -n -w "$PROJECT" && echo "apex-ls: no issues"
