/**
 * The classification policy: JSON with optional keys over safe defaults, validated strictly (every problem reported
 * at once), loaded from RELAY_POLICY (inline) or RELAY_POLICY_FILE.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_POLICY, loadPolicy, loadPolicyFile, parsePolicy, PolicyError } from '../src/policy';

const EXAMPLE = path.join(__dirname, '..', '..', 'config', 'relay-policy.example.json');

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as PolicyError).problems;
  }
  throw new Error('expected a PolicyError');
}

describe('defaults', () => {
  test('are the documented ones', () => {
    expect(DEFAULT_POLICY).toEqual({
      forwardChannels: ['VOICE', 'CHAT'],
      customerInitiatedMethods: ['INBOUND', 'TRANSFER', 'QUEUE_TRANSFER', 'CALLBACK', 'WEBRTC_API'],
      apiCountsAsCustomerInitiatedOn: ['CHAT'],
      optOutAttribute: 'callbackOptOut',
      selfServiceAttribute: 'selfServiceResolved',
      shortAbandonSeconds: 0,
      attributeAllowlist: [],
      callbackNumberAttribute: 'callbackNumber',
      resolveWhenCustomerGetsThrough: true,
      forwardCallbackNotConnected: true,
      forwardAgentDroppedTelecom: true
    });
  });

  test('cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.forwardChannels)).toBe(true);
  });

  test('an empty policy object means all defaults', () => {
    expect(parsePolicy({})).toEqual(DEFAULT_POLICY);
  });
});

describe('parsePolicy', () => {
  test('keys given replace their defaults; the others stay', () => {
    const policy = parsePolicy({ shortAbandonSeconds: 15, attributeAllowlist: [' intent ', 'language'] });
    expect(policy).toEqual({
      ...DEFAULT_POLICY,
      shortAbandonSeconds: 15,
      attributeAllowlist: ['intent', 'language']
    });
    expect(Object.isFrozen(policy.attributeAllowlist)).toBe(true);
  });

  test('the example policy shipped in config/ is valid', () => {
    const policy = parsePolicy(JSON.parse(readFileSync(EXAMPLE, 'utf8')));
    expect(policy.shortAbandonSeconds).toBe(10);
    expect(policy.attributeAllowlist).toEqual(['intent', 'language']);
  });

  test('every bad key is reported at once, each with a clear message', () => {
    const problems = problemsOf(() =>
      parsePolicy({
        forwardChannel: ['VOICE'],
        customerInitiatedMethods: 'INBOUND',
        apiCountsAsCustomerInitiatedOn: ['CHAT', ''],
        optOutAttribute: 5,
        selfServiceAttribute: '  ',
        shortAbandonSeconds: -1,
        attributeAllowlist: Array.from({ length: 51 }, (_, i) => `a${i}`)
      })
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^unknown key "forwardChannel" \(known keys: forwardChannels, customerInitiatedMethods/
      ),
      'customerInitiatedMethods must be an array of non-empty strings (got a string)',
      'apiCountsAsCustomerInitiatedOn must contain only non-empty strings (bad entries: [""])',
      'attributeAllowlist may list at most 50 entries (got 51)',
      'optOutAttribute must be a non-empty attribute name (got a number)',
      'selfServiceAttribute must be a non-empty attribute name (got a string)',
      'shortAbandonSeconds must be a non-negative integer number of seconds (got -1)'
    ]);
  });

  test('the error message lists the problems too', () => {
    expect(() => parsePolicy({ nope: 1, shortAbandonSeconds: 'ten' })).toThrow(
      /^invalid relay policy: unknown key "nope".*; shortAbandonSeconds must be a non-negative integer number of seconds \(got "ten"\)$/
    );
  });

  test('the issue-10 switches and the entered-number attribute are validated too', () => {
    expect(
      problemsOf(() =>
        parsePolicy({
          callbackNumberAttribute: ' ',
          resolveWhenCustomerGetsThrough: 'yes',
          forwardCallbackNotConnected: 1,
          forwardAgentDroppedTelecom: null
        })
      )
    ).toEqual([
      'callbackNumberAttribute must be a non-empty attribute name (got a string)',
      'resolveWhenCustomerGetsThrough must be true or false (got a string)',
      'forwardCallbackNotConnected must be true or false (got a number)',
      'forwardAgentDroppedTelecom must be true or false (got null)'
    ]);
    expect(parsePolicy({ forwardAgentDroppedTelecom: false, callbackNumberAttribute: ' cb ' })).toEqual({
      ...DEFAULT_POLICY,
      forwardAgentDroppedTelecom: false,
      callbackNumberAttribute: 'cb'
    });
  });

  test.each([1.5, Number.NaN, null, '5', true])('shortAbandonSeconds %p is rejected', (value) => {
    expect(problemsOf(() => parsePolicy({ shortAbandonSeconds: value }))).toHaveLength(1);
  });

  test.each<[string, unknown, RegExp]>([
    ['null', null, /got null/],
    ['an array', [], /got an array/],
    ['a string', 'VOICE', /got a string/],
    ['a number', 3, /got a number/]
  ])('a policy that is %s is rejected', (_kind, value, message) => {
    expect(problemsOf(() => parsePolicy(value))).toEqual([expect.stringMatching(message)]);
  });

  test('list entries that are not strings are shown', () => {
    expect(problemsOf(() => parsePolicy({ forwardChannels: ['VOICE', 3, null] }))).toEqual([
      'forwardChannels must contain only non-empty strings (bad entries: [3,null])'
    ]);
  });

  test('lists given as null are rejected', () => {
    expect(problemsOf(() => parsePolicy({ attributeAllowlist: null }))).toEqual([
      'attributeAllowlist must be an array of non-empty strings (got null)'
    ]);
  });
});

describe('loadPolicy(env)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'relay-policy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('neither variable set (or set empty) → defaults', () => {
    expect(loadPolicy({})).toBe(DEFAULT_POLICY);
    expect(loadPolicy({ RELAY_POLICY: '', RELAY_POLICY_FILE: '  ' })).toBe(DEFAULT_POLICY);
  });

  test('RELAY_POLICY holds inline JSON', () => {
    expect(loadPolicy({ RELAY_POLICY: '{"shortAbandonSeconds": 20}' }).shortAbandonSeconds).toBe(20);
  });

  test('RELAY_POLICY_FILE names a JSON file', () => {
    const file = path.join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ forwardChannels: ['VOICE'] }));
    expect(loadPolicy({ RELAY_POLICY_FILE: file }).forwardChannels).toEqual(['VOICE']);
  });

  test('both set is ambiguous → error', () => {
    expect(() => loadPolicy({ RELAY_POLICY: '{}', RELAY_POLICY_FILE: EXAMPLE })).toThrow(
      /^invalid relay policy: set RELAY_POLICY or RELAY_POLICY_FILE, not both$/
    );
  });

  test('inline text that is not JSON → error naming RELAY_POLICY', () => {
    expect(() => loadPolicy({ RELAY_POLICY: '{shortAbandonSeconds: 5}' })).toThrow(
      /^invalid RELAY_POLICY: RELAY_POLICY is not valid JSON \(/
    );
  });

  test('inline JSON with bad keys → error naming RELAY_POLICY and every key', () => {
    const problems = problemsOf(() => loadPolicy({ RELAY_POLICY: '{"a":1,"b":2}' }));
    expect(problems).toHaveLength(2);
    expect(() => loadPolicy({ RELAY_POLICY: '{"a":1}' })).toThrow(/^invalid RELAY_POLICY: unknown key "a"/);
  });

  test('a missing file → error naming the file and the cause', () => {
    const file = path.join(dir, 'missing.json');
    expect(() => loadPolicy({ RELAY_POLICY_FILE: file })).toThrow(`cannot read policy file ${file} (ENOENT)`);
  });

  test('a file with invalid content → error naming the file', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{"shortAbandonSeconds": "soon"}');
    expect(() => loadPolicyFile(file)).toThrow(`invalid policy file ${file}: shortAbandonSeconds must be`);
  });
});

describe('policy edges', () => {
  test('the allowlist may name exactly the contract’s 50 attributes; 0 seconds is a valid threshold', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `a${i}`);
    expect(parsePolicy({ attributeAllowlist: fifty, shortAbandonSeconds: 0 })).toEqual({
      ...DEFAULT_POLICY,
      attributeAllowlist: fifty
    });
  });

  test('every list of a parsed policy is frozen and trimmed', () => {
    const policy = parsePolicy({
      forwardChannels: [' VOICE '],
      customerInitiatedMethods: ['INBOUND '],
      apiCountsAsCustomerInitiatedOn: [' CHAT']
    });
    expect(policy).toMatchObject({
      forwardChannels: ['VOICE'],
      customerInitiatedMethods: ['INBOUND'],
      apiCountsAsCustomerInitiatedOn: ['CHAT']
    });
    expect(Object.isFrozen(policy)).toBe(true);
    for (const list of [
      policy.forwardChannels,
      policy.customerInitiatedMethods,
      policy.apiCountsAsCustomerInitiatedOn
    ])
      expect(Object.isFrozen(list)).toBe(true);
  });

  test('the unknown-key message names every known key; a value JSON cannot show is described', () => {
    expect(problemsOf(() => parsePolicy({ x: 1, shortAbandonSeconds: () => 5 }))).toEqual([
      'unknown key "x" (known keys: forwardChannels, customerInitiatedMethods, apiCountsAsCustomerInitiatedOn, ' +
        'optOutAttribute, selfServiceAttribute, shortAbandonSeconds, attributeAllowlist, callbackNumberAttribute, ' +
        'resolveWhenCustomerGetsThrough, forwardCallbackNotConnected, forwardAgentDroppedTelecom)',
      'shortAbandonSeconds must be a non-negative integer number of seconds (got a function)'
    ]);
  });

  test('a blank RELAY_POLICY is unset; a RELAY_POLICY_FILE path is trimmed', () => {
    expect(loadPolicy({ RELAY_POLICY: '   ', RELAY_POLICY_FILE: ` ${EXAMPLE} ` }).shortAbandonSeconds).toBe(
      10
    );
  });

  test('a directory as the policy file is reported with its cause', () => {
    const dir = path.dirname(EXAMPLE);
    expect(() => loadPolicyFile(dir)).toThrow(
      `invalid policy file ${dir}: cannot read policy file ${dir} (EISDIR)`
    );
  });

  test('errors name themselves', () => {
    expect(new PolicyError(['x']).name).toBe('PolicyError');
    expect(new PolicyError(['x', 'y']).message).toBe('invalid relay policy: x; y');
  });
});
