#!/usr/bin/env bash
# Prints one fresh Amazon Connect contact trace record (format 2017-03-10) as a single JSON line: a new
# ContactId and timestamps of "now", so each run becomes a new callback Case. For smoke tests of a deployed
# relay (aws kinesis put-record) or the local classifier (node relay/bin/ctr-relay.js classify -).
#
# Usage: scripts/sample-ctr.sh [--kind abandoned|ivr] [--phone E164] [--queue NAME] [--instance-arn ARN]
#   abandoned  caller hung up after 4 minutes in the queue (ABANDONED_IN_QUEUE; default)
#   ivr        call lost in the IVR before any queue, TELECOM_PROBLEM (DROPPED_IN_IVR)
#   --phone    caller number, E.164 (default +15555550142, a fictional 555-01xx number)
set -euo pipefail

KIND="abandoned"
PHONE="+15555550142"
QUEUE="BasicQueue"
INSTANCE_ARN="arn:aws:connect:us-east-1:111122223333:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

die() {
  echo "sample-ctr: $*" >&2
  exit 2
}

while (($# > 0)); do
  [[ $# -ge 2 ]] || die "$1 needs a value"
  case "$1" in
    --kind) KIND="$2" ;;
    --phone) PHONE="$2" ;;
    --queue) QUEUE="$2" ;;
    --instance-arn) INSTANCE_ARN="$2" ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
[[ "$KIND" == abandoned || "$KIND" == ivr ]] || die "--kind must be abandoned or ivr"
[[ "$PHONE" =~ ^\+[1-9][0-9]{6,14}$ ]] || die "--phone must be E.164, e.g. +15555550142"
[[ "$INSTANCE_ARN" =~ ^arn:aws[-a-z]*:connect:[-a-z0-9]+:[0-9]{12}:instance/[-a-zA-Z0-9]+$ ]] ||
  die "--instance-arn must be an Amazon Connect instance ARN"

# The JavaScript below uses its own ${...} template literals, not shell expansion.
# shellcheck disable=SC2016
node -e '
  const { randomUUID } = require("node:crypto");
  const [kind, phone, queueName, instanceArn] = process.argv.slice(1);
  const now = Date.now();
  const at = (secondsAgo) => new Date(now - secondsAgo * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const account = instanceArn.split(":")[4];
  const ctr = {
    AWSAccountId: account,
    AWSContactTraceRecordFormatVersion: "2017-03-10",
    Agent: null,
    AgentConnectionAttempts: 0,
    Attributes: { intent: "billing" },
    Channel: "VOICE",
    ContactId: randomUUID(),
    CustomerEndpoint: { Address: phone, Type: "TELEPHONE_NUMBER" },
    InitialContactId: null,
    InitiationMethod: "INBOUND",
    InstanceARN: instanceArn,
    NextContactId: null,
    PreviousContactId: null,
    Recording: null,
    Recordings: null,
    SystemEndpoint: { Address: "+15555550100", Type: "TELEPHONE_NUMBER" }
  };
  if (kind === "abandoned") {
    Object.assign(ctr, {
      InitiationTimestamp: at(300),
      ConnectedToSystemTimestamp: at(300),
      DisconnectTimestamp: at(30),
      DisconnectReason: "CUSTOMER_DISCONNECT",
      LastUpdateTimestamp: at(0),
      Queue: {
        ARN: `${instanceArn}/queue/11111111-2222-3333-4444-555555555555`,
        Name: queueName,
        EnqueueTimestamp: at(270),
        DequeueTimestamp: at(30),
        Duration: 240
      }
    });
  } else {
    Object.assign(ctr, {
      InitiationTimestamp: at(120),
      ConnectedToSystemTimestamp: at(120),
      DisconnectTimestamp: at(60),
      DisconnectReason: "TELECOM_PROBLEM",
      LastUpdateTimestamp: at(0),
      Queue: null
    });
  }
  process.stdout.write(JSON.stringify(ctr) + "\n");' "$KIND" "$PHONE" "$QUEUE" "$INSTANCE_ARN"
