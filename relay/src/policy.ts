/**
 * The classification policy: which contacts become callback Cases. Configured as JSON (env RELAY_POLICY inline, or
 * RELAY_POLICY_FILE path); every key is optional and falls back to DEFAULT_POLICY. Validation reports every bad key
 * at once, so an operator fixes a policy in one round trip.
 */
import { readFileSync } from 'node:fs';

export interface RelayPolicy {
  /** Channels whose drops are forwarded. Compared case-insensitively. */
  readonly forwardChannels: readonly string[];
  /** InitiationMethod values that mean "the customer reached out to us". */
  readonly customerInitiatedMethods: readonly string[];
  /** Channels on which InitiationMethod API counts as customer-initiated (StartChatContact is the customer). */
  readonly apiCountsAsCustomerInitiatedOn: readonly string[];
  /** Contact attribute that, when truthy ("true"/"yes"/"1"), means the customer declined callbacks. */
  readonly optOutAttribute: string;
  /** Contact attribute a flow sets (truthy) when a bot or IVR resolved the request. */
  readonly selfServiceAttribute: string;
  /** Queue abandons shorter than this many seconds are skipped (0 = off). */
  readonly shortAbandonSeconds: number;
  /** Contact attributes copied to the Case (string values only); [] = none. At most 50 (contract limit). */
  readonly attributeAllowlist: readonly string[];
  /** Contact attribute holding the callback number the customer entered in the flow; valid E.164 wins over caller ID. */
  readonly callbackNumberAttribute: string;
  /** Forward each customer-initiated contact that got through (agent or self-service) as a "resolve" record. */
  readonly resolveWhenCustomerGetsThrough: boolean;
  /** A queued callback (InitiationMethod CALLBACK) an agent took but that never reached the customer is a drop. */
  readonly forwardCallbackNotConnected: boolean;
  /** A contact that reached an agent and then dropped on TELECOM_PROBLEM is a drop. */
  readonly forwardAgentDroppedTelecom: boolean;
}

export const DEFAULT_POLICY: RelayPolicy = Object.freeze({
  forwardChannels: Object.freeze(['VOICE', 'CHAT']),
  customerInitiatedMethods: Object.freeze([
    'INBOUND',
    'TRANSFER',
    'QUEUE_TRANSFER',
    'CALLBACK',
    'WEBRTC_API'
  ]),
  apiCountsAsCustomerInitiatedOn: Object.freeze(['CHAT']),
  optOutAttribute: 'callbackOptOut',
  selfServiceAttribute: 'selfServiceResolved',
  shortAbandonSeconds: 0,
  attributeAllowlist: Object.freeze([] as string[]),
  callbackNumberAttribute: 'callbackNumber',
  resolveWhenCustomerGetsThrough: true,
  forwardCallbackNotConnected: true,
  forwardAgentDroppedTelecom: true
});

/** The policy keys that name one contact attribute each (the relay reads those attributes, and the allowlist's). */
export const ATTRIBUTE_NAME_KEYS = Object.freeze([
  'optOutAttribute',
  'selfServiceAttribute',
  'callbackNumberAttribute'
] as const satisfies readonly (keyof RelayPolicy)[]);

/**
 * Every contact attribute the relay reads under this policy: decoding a large CTR keeps only these (decode.ts), so
 * code that reads an attribute must take its name from here.
 */
export function policyAttributeNames(policy: RelayPolicy): string[] {
  return [...ATTRIBUTE_NAME_KEYS.map((key) => policy[key]), ...policy.attributeAllowlist];
}

/** The contract allows at most 50 attribute keys per record. */
export const MAX_ALLOWLISTED_ATTRIBUTES = 50;

const POLICY_KEYS = Object.keys(DEFAULT_POLICY) as (keyof RelayPolicy)[];

/** A policy that failed validation; `problems` holds one line per bad key (all of them). */
export class PolicyError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], source = 'relay policy') {
    super(`invalid ${source}: ${problems.join('; ')}`);
    this.name = 'PolicyError';
    this.problems = problems;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function stringList(
  key: string,
  value: unknown,
  problems: string[],
  maxLength?: number
): string[] | undefined {
  if (!Array.isArray(value)) {
    problems.push(`${key} must be an array of non-empty strings (got ${describe(value)})`);
    return undefined;
  }
  const bad = value.filter((v) => typeof v !== 'string' || v.trim() === '');
  if (bad.length > 0) {
    problems.push(`${key} must contain only non-empty strings (bad entries: ${JSON.stringify(bad)})`);
    return undefined;
  }
  if (maxLength !== undefined && value.length > maxLength) {
    problems.push(`${key} may list at most ${maxLength} entries (got ${value.length})`);
    return undefined;
  }
  return (value as string[]).map((v) => v.trim());
}

function attributeName(key: string, value: unknown, problems: string[]): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${key} must be a non-empty attribute name (got ${describe(value)})`);
    return undefined;
  }
  return value.trim();
}

function flag(key: string, value: unknown, problems: string[]): boolean | undefined {
  if (typeof value !== 'boolean') {
    problems.push(`${key} must be true or false (got ${describe(value)})`);
    return undefined;
  }
  return value;
}

/**
 * Validates a parsed JSON policy. Missing keys take their defaults; unknown keys and wrong types are errors.
 * Throws PolicyError listing every problem.
 */
export function parsePolicy(json: unknown): RelayPolicy {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new PolicyError([`the policy must be a JSON object (got ${describe(json)})`]);
  }
  const input = json as Record<string, unknown>;
  const problems: string[] = [];
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(input, key);

  for (const key of Object.keys(input)) {
    if (!(POLICY_KEYS as string[]).includes(key)) {
      problems.push(`unknown key "${key}" (known keys: ${POLICY_KEYS.join(', ')})`);
    }
  }

  const list = (key: keyof RelayPolicy, max?: number): readonly string[] | undefined =>
    has(key) ? stringList(key, input[key], problems, max) : (DEFAULT_POLICY[key] as readonly string[]);
  const name = (key: keyof RelayPolicy): string | undefined =>
    has(key) ? attributeName(key, input[key], problems) : (DEFAULT_POLICY[key] as string);

  const forwardChannels = list('forwardChannels');
  const customerInitiatedMethods = list('customerInitiatedMethods');
  const apiCountsAsCustomerInitiatedOn = list('apiCountsAsCustomerInitiatedOn');
  const attributeAllowlist = list('attributeAllowlist', MAX_ALLOWLISTED_ATTRIBUTES);
  const optOutAttribute = name('optOutAttribute');
  const selfServiceAttribute = name('selfServiceAttribute');
  const callbackNumberAttribute = name('callbackNumberAttribute');
  const switchOf = (key: keyof RelayPolicy): boolean | undefined =>
    has(key) ? flag(key, input[key], problems) : (DEFAULT_POLICY[key] as boolean);
  const resolveWhenCustomerGetsThrough = switchOf('resolveWhenCustomerGetsThrough');
  const forwardCallbackNotConnected = switchOf('forwardCallbackNotConnected');
  const forwardAgentDroppedTelecom = switchOf('forwardAgentDroppedTelecom');

  let shortAbandonSeconds: number | undefined = DEFAULT_POLICY.shortAbandonSeconds;
  if (has('shortAbandonSeconds')) {
    const v = input.shortAbandonSeconds;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      problems.push(
        `shortAbandonSeconds must be a non-negative integer number of seconds (got ${JSON.stringify(v) ?? describe(v)})`
      );
      shortAbandonSeconds = undefined;
    } else {
      shortAbandonSeconds = v;
    }
  }

  if (problems.length > 0) throw new PolicyError(problems);
  return Object.freeze({
    forwardChannels: Object.freeze([...(forwardChannels as string[])]),
    customerInitiatedMethods: Object.freeze([...(customerInitiatedMethods as string[])]),
    apiCountsAsCustomerInitiatedOn: Object.freeze([...(apiCountsAsCustomerInitiatedOn as string[])]),
    optOutAttribute: optOutAttribute as string,
    selfServiceAttribute: selfServiceAttribute as string,
    shortAbandonSeconds: shortAbandonSeconds as number,
    attributeAllowlist: Object.freeze([...(attributeAllowlist as string[])]),
    callbackNumberAttribute: callbackNumberAttribute as string,
    resolveWhenCustomerGetsThrough: resolveWhenCustomerGetsThrough as boolean,
    forwardCallbackNotConnected: forwardCallbackNotConnected as boolean,
    forwardAgentDroppedTelecom: forwardAgentDroppedTelecom as boolean
  });
}

/** Parses policy JSON text; `source` names where it came from in error messages. */
export function parsePolicyText(textValue: string, source: string): RelayPolicy {
  let json: unknown;
  try {
    json = JSON.parse(textValue);
  } catch (err) {
    throw new PolicyError([`${source} is not valid JSON (${(err as Error).message})`], source);
  }
  try {
    return parsePolicy(json);
  } catch (err) {
    // parsePolicy throws only PolicyError; re-raise it naming where the policy came from.
    throw new PolicyError((err as PolicyError).problems, source);
  }
}

/** Reads and validates a policy file. */
export function loadPolicyFile(path: string): RelayPolicy {
  let content: string;
  try {
    // Stryker disable next-line StringLiteral: without an encoding, JSON.parse reads the Buffer as UTF-8 all the same
    content = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new PolicyError([`cannot read policy file ${path} (${code})`], `policy file ${path}`);
  }
  return parsePolicyText(content, `policy file ${path}`);
}

/**
 * The policy from the environment: RELAY_POLICY (inline JSON) or RELAY_POLICY_FILE (path), not both; DEFAULT_POLICY
 * when neither is set (empty values count as unset). Throws PolicyError.
 */
export function loadPolicy(env: NodeJS.ProcessEnv): RelayPolicy {
  const inline = env.RELAY_POLICY?.trim() ? env.RELAY_POLICY : undefined;
  const file = env.RELAY_POLICY_FILE?.trim() ? env.RELAY_POLICY_FILE.trim() : undefined;
  if (inline !== undefined && file !== undefined) {
    throw new PolicyError(['set RELAY_POLICY or RELAY_POLICY_FILE, not both'], 'relay policy');
  }
  if (inline !== undefined) return parsePolicyText(inline, 'RELAY_POLICY');
  if (file !== undefined) return loadPolicyFile(file);
  return DEFAULT_POLICY;
}
