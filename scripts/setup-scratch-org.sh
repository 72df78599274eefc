#!/usr/bin/env bash
# One command from an authorised Dev Hub to a working Salesforce side of the relay, in a new scratch org:
#   1. checks the Salesforce CLI has a Dev Hub (fails at once, before any network call, if not)
#   2. creates (or reuses) the JWT key pair                        scripts/generate-jwt-cert.sh → .jwt/
#   3. creates the scratch org                                     config/project-scratch-def.json
#   4. builds the LWC and deploys the project                      npm run build:lwc; sf project deploy start
#   5. assigns Callback_Agent to the admin user
#   6. creates the integration user                                config/integration-user-def.json
#      (Salesforce Integration licence, "Minimum Access - API Only Integrations" profile), assigns it the
#      Salesforce API Integration permission set licence, then Connect_Relay_Integration
#   7. deploys the Connect Relay External Client App with the certificate (config/external-client-app/)
#   8. prints the relay settings and how to store the key in the AWS Secrets Manager secret, and writes them
#      (no secrets: the key's path) to .sf-stage/relay-settings-<alias>.json for npm run test:org
#
# Usage: scripts/setup-scratch-org.sh [--alias NAME] [--dev-hub NAME] [--duration-days N] [--jwt-dir DIR]
#                                     [--skip-create] [--dry-run]
#   --alias          scratch org alias (default connect-callbacks)
#   --dev-hub        Dev Hub username or alias (default: the CLI's target-dev-hub)
#   --duration-days  scratch org lifetime, 1-30 (default 7)
#   --jwt-dir        where the key pair lives (default .jwt; the key is gitignored)
#   --skip-create    use the existing org --alias instead of creating one (re-run the later steps)
#   --dry-run        check the prerequisites (CLI, Dev Hub), then print every command a real run would make, in
#                    order, without running any of them or writing anything
# Environment: SF_CLIENT_ID skips reading the consumer key back from the org.
# Exit codes: 0 done, 1 a Salesforce step failed, 2 prerequisites missing (Dev Hub, CLI, openssl, node),
#   3 the org has no free Salesforce Integration user licence (the integration user is API-only by design: no
#   profile that can log in to the UI is offered as a fallback).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

# Never let the CLI stop for an update check, telemetry or release notes: this runs unattended.
export SF_AUTOUPDATE_DISABLE=true SF_DISABLE_AUTOUPDATE=true SF_SKIP_NEW_VERSION_CHECK=true \
  SF_DISABLE_TELEMETRY=true SFDX_DISABLE_TELEMETRY=true SF_HIDE_RELEASE_NOTES=true \
  SF_HIDE_RELEASE_NOTES_FOOTER=true SF_USE_PROGRESS_BAR=false

ALIAS="connect-callbacks"
HUB=""
DAYS=7
JWT_DIR="$ROOT/.jwt"
SKIP_CREATE=false
DRY_RUN=false
PROFILE="Minimum Access - API Only Integrations"
USER_PREFIX="connect-relay@dropped-call-callbacks.example.com"
ECA_NAME="Connect_Relay"

say() { printf '\n==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
fail() {
  local code="$1"
  shift
  printf '\nsetup-scratch-org: %s\n' "$*" >&2
  exit "$code"
}
usage() {
  sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'
}

while (($# > 0)); do
  case "$1" in
    --alias | --dev-hub | --duration-days | --jwt-dir)
      [[ $# -ge 2 && -n "$2" ]] || fail 2 "$1 needs a value"
      case "$1" in
        --alias) ALIAS="$2" ;;
        --dev-hub) HUB="$2" ;;
        --duration-days) DAYS="$2" ;;
        --jwt-dir) JWT_DIR="$2" ;;
      esac
      shift 2
      ;;
    --skip-create)
      SKIP_CREATE=true
      shift
      ;;
    --dry-run)
      DRY_RUN=true
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) fail 2 "unknown argument $1 (see --help)" ;;
  esac
done
if ! [[ "$DAYS" =~ ^[0-9]+$ ]] || ((10#$DAYS < 1 || 10#$DAYS > 30)); then fail 2 "--duration-days must be 1-30"; fi
DAYS=$((10#$DAYS))

# ---- Prerequisites ------------------------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || fail 2 "node not found: install Node.js 20.18 or later"
command -v openssl >/dev/null 2>&1 || fail 2 "openssl not found: install it (e.g. apt-get install openssl)"
if [[ -n "${SF_BIN:-}" ]]; then
  SF="$SF_BIN"
elif [[ -x "$ROOT/node_modules/.bin/sf" ]]; then
  SF="$ROOT/node_modules/.bin/sf"
elif command -v sf >/dev/null 2>&1; then
  SF="$(command -v sf)"
else
  fail 2 "Salesforce CLI not found: run 'npm ci' in $ROOT (it installs @salesforce/cli) or install sf"
fi

# Runs the CLI; in a dry run, prints the command instead (and answers nothing: callers use placeholders). Plan
# lines go to file descriptor 3 (the script's stdout), so a caller's redirect of the command never hides them.
exec 3>&1
sfx() {
  if [[ "$DRY_RUN" == true ]]; then
    printf '[dry-run] sf %s\n' "$*" >&3
    return 0
  fi
  "$SF" "$@"
}
# Runs any other command that changes something; printed instead in a dry run.
act() {
  if [[ "$DRY_RUN" == true ]]; then
    printf '[dry-run] %s\n' "$*" >&3
    return 0
  fi
  "$@"
}

# Reads a value out of JSON on stdin: json_get 'result.fields.username'. Prints nothing when absent.
json_get() {
  node -e '
    let text = "";
    process.stdin.on("data", (c) => (text += c)).on("end", () => {
      let v;
      try { v = JSON.parse(text); } catch { return; }
      for (const k of process.argv[1].split(".")) v = v == null ? undefined : v[k];
      if (v !== undefined && v !== null) process.stdout.write(typeof v === "string" ? v : JSON.stringify(v));
    });' "$1"
}

# ---- 1. Dev Hub ---------------------------------------------------------------------------------------------
# Only local CLI state is read here (no connection checks), so a missing Dev Hub fails in a second.
say "Checking the Salesforce CLI's Dev Hub"
DEV_HUB_HELP="Authorise one (a production or Developer Edition org with Dev Hub enabled in Setup) with:
    sf org login web --set-default-dev-hub --alias devhub
then run this script again (or pass --dev-hub USERNAME_OR_ALIAS)."
if [[ -z "$HUB" ]]; then
  HUB="$("$SF" config get target-dev-hub --json 2>/dev/null | json_get 'result.0.value' || true)"
fi
ORGS_JSON="$("$SF" org list --skip-connection-status --json 2>/dev/null || echo '{}')"
KNOWN_HUBS="$(printf '%s' "$ORGS_JSON" | node -e '
  let text = "";
  process.stdin.on("data", (c) => (text += c)).on("end", () => {
    let r = {};
    try { r = JSON.parse(text).result ?? {}; } catch {}
    const orgs = [...(r.devHubs ?? []), ...(r.nonScratchOrgs ?? [])].filter((o) => o && o.isDevHub);
    const names = new Set();
    for (const o of orgs) for (const n of [o.username, o.alias, ...(o.aliases ?? [])]) if (n) names.add(n);
    process.stdout.write([...names].join("\n"));
  });')"
if [[ -z "$HUB" ]]; then
  if [[ -n "$KNOWN_HUBS" ]]; then
    fail 2 "No default Dev Hub is set for the Salesforce CLI. Authorised Dev Hubs: $(echo "$KNOWN_HUBS" | paste -sd, -).
Pass one with --dev-hub, or set the default: sf config set target-dev-hub=NAME. $DEV_HUB_HELP"
  fi
  fail 2 "No Dev Hub is authorised for the Salesforce CLI. $DEV_HUB_HELP"
fi
if ! grep -Fxq -- "$HUB" <<<"$KNOWN_HUBS"; then
  fail 2 "The Dev Hub \"$HUB\" is not authorised in this Salesforce CLI (or is not a Dev Hub). $DEV_HUB_HELP"
fi
echo "Dev Hub: $HUB"

# ---- 2. Key pair --------------------------------------------------------------------------------------------
KEY="$JWT_DIR/connect-relay.key"
CERT="$JWT_DIR/connect-relay-cert.pem"
say "JWT key pair"
if [[ -f "$KEY" && -f "$CERT" ]]; then
  echo "Reusing $KEY and $CERT"
else
  act "$ROOT/scripts/generate-jwt-cert.sh" "$JWT_DIR"
fi

# ---- 3. Scratch org -----------------------------------------------------------------------------------------
if [[ "$SKIP_CREATE" == true ]]; then
  say "Using the existing org $ALIAS"
else
  say "Creating scratch org $ALIAS (this takes a few minutes)"
  sfx org create scratch --definition-file config/project-scratch-def.json --alias "$ALIAS" \
    --duration-days "$DAYS" --target-dev-hub "$HUB" --set-default --wait 30 ||
    fail 1 "scratch org creation failed (see above). Dev Hubs allow a limited number of active scratch orgs: sf org list --all"
fi
if [[ "$DRY_RUN" == true ]]; then
  sfx org display --target-org "$ALIAS" --json
  INSTANCE_URL="<instance URL of $ALIAS>"
  ADMIN_USER="<admin username of $ALIAS>"
else
  ORG_JSON="$("$SF" org display --target-org "$ALIAS" --json 2>/dev/null)" || fail 1 "cannot reach org $ALIAS"
  INSTANCE_URL="$(printf '%s' "$ORG_JSON" | json_get 'result.instanceUrl')"
  ADMIN_USER="$(printf '%s' "$ORG_JSON" | json_get 'result.username')"
fi

# ---- 4. Build and deploy ------------------------------------------------------------------------------------
say "Building the LWC (TypeScript → JavaScript)"
act npm run --silent build:lwc
say "Deploying force-app"
sfx project deploy start --source-dir force-app --target-org "$ALIAS" --wait 30 ||
  fail 1 "deploy failed (see the component errors above)"

# ---- 5. Agent permissions for the admin ---------------------------------------------------------------------
# Tolerates "already assigned" so the script can be re-run with --skip-create.
assign_permset() {
  local name="$1" out
  shift
  if [[ "$DRY_RUN" == true ]]; then
    sfx org assign permset --name "$name" --target-org "$ALIAS" "$@"
    return 0
  fi
  if ! out="$("$SF" org assign permset --name "$name" --target-org "$ALIAS" "$@" 2>&1)"; then
    if grep -qi "duplicate" <<<"$out"; then
      echo "$name already assigned"
      return 0
    fi
    printf '%s\n' "$out" >&2
    return 1
  fi
  echo "$name assigned"
}
say "Assigning Callback_Agent to $ADMIN_USER"
assign_permset Callback_Agent || fail 1 "could not assign Callback_Agent"

# ---- 6. Integration user ------------------------------------------------------------------------------------
say "Integration user ($PROFILE)"
if [[ "$DRY_RUN" == true ]]; then
  sfx data query --target-org "$ALIAS" --query "SELECT Username FROM User WHERE Username LIKE '${USER_PREFIX}%' …"
  sfx org create user --definition-file config/integration-user-def.json --set-unique-username \
    --target-org "$ALIAS" "profileName=$PROFILE" --json '(only when no integration user exists yet)'
  INT_USER="<integration username>"
else
INT_USER="$("$SF" data query --target-org "$ALIAS" --json \
  --query "SELECT Username FROM User WHERE Username LIKE '${USER_PREFIX}%' AND IsActive = true LIMIT 1" 2>/dev/null |
  json_get 'result.records.0.Username' || true)"
if [[ -n "$INT_USER" ]]; then
  echo "Reusing $INT_USER"
else
  set +e
  CREATE_OUT="$("$SF" org create user --definition-file config/integration-user-def.json --set-unique-username \
    --target-org "$ALIAS" "profileName=$PROFILE" --json 2>&1)"
  CREATE_RC=$?
  set -e
  INT_USER="$(printf '%s' "$CREATE_OUT" | json_get 'result.fields.username')"
  if ((CREATE_RC != 0)); then
    if grep -q "licenseLimitExceeded\|no available user licenses" <<<"$CREATE_OUT"; then
      fail 3 "The org has no free licence for the profile \"$PROFILE\".
The integration user needs a Salesforce Integration user licence (Developer Edition and scratch orgs include a
few; Setup → Company Information → User Licenses). Free one (deactivate an unused integration user), then run
    scripts/setup-scratch-org.sh --skip-create --alias $ALIAS
The relay's user is API-only on purpose: no profile that can log in to the UI is offered instead."
    fi
    # The CLI creates the user first, then signs it in to verify; an API-only user can fail only that second
    # step. The user exists then and the rest of the setup does not need a CLI login for it.
    INT_USER="$("$SF" data query --target-org "$ALIAS" --json \
      --query "SELECT Username FROM User WHERE Username LIKE '${USER_PREFIX}%' LIMIT 1" 2>/dev/null |
      json_get 'result.records.0.Username' || true)"
    [[ -n "$INT_USER" ]] || fail 1 "could not create the integration user:
$(printf '%s' "$CREATE_OUT" | json_get 'message')"
    warn "the CLI created $INT_USER but could not sign it in (expected for API-only users); continuing"
  fi
  echo "Created $INT_USER"
fi
fi

# The permission set licence must come first: without it the user licence forbids the object permissions
# in Connect_Relay_Integration and that assignment fails.
if [[ "$DRY_RUN" == true ]]; then
  sfx org assign permsetlicense --name SalesforceAPIIntegrationPsl --on-behalf-of "$INT_USER" --target-org "$ALIAS"
elif ! PSL_OUT="$("$SF" org assign permsetlicense --name SalesforceAPIIntegrationPsl --on-behalf-of "$INT_USER" \
  --target-org "$ALIAS" 2>&1)"; then
  grep -qi "duplicate\|already" <<<"$PSL_OUT" || {
    printf '%s\n' "$PSL_OUT" >&2
    fail 1 "could not assign the Salesforce API Integration permission set licence to $INT_USER"
  }
fi
[[ "$DRY_RUN" == true ]] || echo "Salesforce API Integration permission set licence assigned"
assign_permset Connect_Relay_Integration --on-behalf-of "$INT_USER" ||
  fail 1 "could not assign Connect_Relay_Integration to $INT_USER"

# Queue membership: new Cases are owned by the Dropped_Call_Callbacks queue. Members see and edit them: the admin
# (as an agent) works them, and the integration user can update them when a newer CTR arrives. Idempotent.
say "Adding $ADMIN_USER and $INT_USER to the Dropped_Call_Callbacks queue"
# Staging inside the project (gitignored): the CLI's source tracking records paths relative to the project, and
# a path outside it ("../…") fails its commit with UnsafeFilepathError after a successful deploy.
STAGE_ROOT="$ROOT/.sf-stage"
STAGE="$STAGE_ROOT/$ALIAS-$$"
if [[ "$DRY_RUN" != true ]]; then
  mkdir -p "$STAGE"
  trap 'rm -rf "$STAGE"' EXIT
fi
QUEUE_APEX="$STAGE/queue-members.apex"
[[ "$DRY_RUN" == true ]] || cat >"$QUEUE_APEX" <<APEX
Group queue = [SELECT Id FROM Group WHERE Type = 'Queue' AND DeveloperName = 'Dropped_Call_Callbacks' LIMIT 1];
Set<Id> members = new Set<Id>();
for (GroupMember m : [SELECT UserOrGroupId FROM GroupMember WHERE GroupId = :queue.Id]) { members.add(m.UserOrGroupId); }
List<GroupMember> additions = new List<GroupMember>();
for (User u : [SELECT Id FROM User WHERE Username IN ('$ADMIN_USER', '$INT_USER')]) {
  if (!members.contains(u.Id)) { additions.add(new GroupMember(GroupId = queue.Id, UserOrGroupId = u.Id)); }
}
insert additions;
APEX
sfx apex run --file "$QUEUE_APEX" --target-org "$ALIAS" >/dev/null ||
  fail 1 "could not add the users to the Dropped_Call_Callbacks queue (Setup → Queues → Dropped Call Callbacks)"

# ---- 7. External Client App ---------------------------------------------------------------------------------
# Global OAuth settings hold the certificate (and Salesforce generates the consumer key into them); they must
# not be committed, so stage-eca.sh puts the certificate into a copy of config/external-client-app/ in the
# gitignored .sf-stage/ folder of the project (removed again on exit).
say "Deploying the $ECA_NAME External Client App with the certificate"
act "$ROOT/scripts/stage-eca.sh" "$CERT" "$STAGE/eca" >/dev/null
# The policies (who may use the app) go in a second deploy: if the org rejects them, the app itself still
# exists and only the pre-authorisation is left to do by hand.
if [[ "$DRY_RUN" != true ]]; then
  mkdir -p "$STAGE/policies"
  mv "$STAGE/eca/extlClntAppOauthPolicies" "$STAGE/policies/"
fi
ECA_OK=true
POLICY_OK=true
if sfx project deploy start --source-dir "$STAGE/eca" --target-org "$ALIAS" --wait 20; then
  sfx project deploy start --source-dir "$STAGE/policies" --target-org "$ALIAS" --wait 20 || POLICY_OK=false
else
  ECA_OK=false
fi

CLIENT_ID="${SF_CLIENT_ID:-}"
if [[ -z "$CLIENT_ID" && "$ECA_OK" == true ]]; then
  # Salesforce generates the consumer key; read it back from the global OAuth settings when the org allows it.
  if sfx project retrieve start --metadata "ExtlClntAppGlobalOauthSettings:$ECA_NAME" --target-org "$ALIAS" \
    --target-metadata-dir "$STAGE/retrieved" --unzip --wait 10 >/dev/null 2>&1; then
    CLIENT_ID="$(grep -rhoE '<consumerKey>[^<]+' "$STAGE/retrieved" 2>/dev/null | head -1 | sed 's/<consumerKey>//' || true)"
  fi
fi

# ---- 8. Relay settings --------------------------------------------------------------------------------------
MANUAL=()
if [[ "$ECA_OK" != true ]]; then
  MANUAL+=("The External Client App did not deploy (see above). Create it in Setup → External Client App Manager →
   New External Client App: name Connect Relay, Enable OAuth, callback http://localhost:1717/OauthRedirect,
   scope 'Manage user data via APIs (api)' only,
   Enable JWT Bearer Flow and upload $CERT. Then Policies → Permitted Users 'Admin approved users are
   pre-authorized', and select the permission set Connect_Relay_Integration.")
fi
if [[ "$ECA_OK" == true && "$POLICY_OK" != true ]]; then
  MANUAL+=("The app's policies did not deploy (see above). Setup → External Client App Manager → Connect Relay →
   Policies → Edit: Permitted Users 'Admin approved users are pre-authorized', and add the permission set
   Connect_Relay_Integration under Select Permission Sets.")
fi
if [[ -z "$CLIENT_ID" ]]; then
  MANUAL+=("Copy the consumer key: Setup → External Client App Manager → Connect Relay → Settings → OAuth Settings →
   Consumer Key and Secret. Use it as SF_CLIENT_ID / clientId below.")
  CLIENT_ID="<consumer key of the Connect Relay External Client App>"
fi

if [[ "$DRY_RUN" == true ]]; then
  say "Dry run: nothing was run, created or written. A real run ends with the relay settings:"
else
  # For npm run test:org (and any script): the settings without secrets; the key stays in its file.
  SETTINGS_FILE="$STAGE_ROOT/relay-settings-$ALIAS.json"
  node -e '
    const [file, loginUrl, clientId, username, privateKeyFile, instanceUrl, manual] = process.argv.slice(1);
    const settings = { authFlow: "jwt", loginUrl, clientId, username, privateKeyFile, instanceUrl,
      manualStepsLeft: Number(manual) };
    require("node:fs").writeFileSync(file, JSON.stringify(settings, null, 2) + "\n");' \
    "$SETTINGS_FILE" https://test.salesforce.com "$CLIENT_ID" "$INT_USER" "$KEY" "$INSTANCE_URL" "${#MANUAL[@]}"
  say "Done: org $ALIAS ($INSTANCE_URL); settings in ${SETTINGS_FILE#"$ROOT"/}"
fi
cat <<EOF

Relay settings (scratch orgs and sandboxes sign JWTs for https://test.salesforce.com):

  SF_AUTH_FLOW=jwt
  SF_LOGIN_URL=https://test.salesforce.com
  SF_CLIENT_ID=$CLIENT_ID
  SF_USERNAME=$INT_USER
  SF_PRIVATE_KEY="\$(cat $KEY)"      # locally; on AWS the key lives in the secret below

Store them in the relay's Secrets Manager secret (SecretArn output of the CDK stack); the key goes through a pipe,
never onto a command line:

  scripts/relay-secret-json.sh --client-id '$CLIENT_ID' --username '$INT_USER' \\
    --private-key-file '$KEY' --login-url https://test.salesforce.com |
    aws secretsmanager put-secret-value --secret-id "\$SECRET_ARN" --secret-string file:///dev/stdin

A new External Client App can take a few minutes before Salesforce accepts its consumer key.
Open the org as the agent (admin): sf org open --target-org $ALIAS
EOF
if ((${#MANUAL[@]} > 0)); then
  printf '\nManual steps left:\n'
  for i in "${!MANUAL[@]}"; do printf ' %d. %s\n' "$((i + 1))" "${MANUAL[$i]}"; done
fi
