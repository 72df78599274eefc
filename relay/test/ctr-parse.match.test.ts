/**
 * The scanner's fast paths, in a file of their own so the scanner's memory and key area start empty: keys are
 * matched by the scanner (a table placed once per key set, not per read), JavaScript compares only what the scanner
 * cannot (an escaped key, a key set too large for the key area), and a match's slots always fit in memory.
 */
import { keySet, pickCtrFields, scannerStats } from '../src/ctr-parse';

/** `count` distinct names of two letters or digits (a key table of 10 bytes per name, a few more per length). */
function twoCharacterNames(count: number): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(
    { length: count },
    (_, i) => `${alphabet[i % alphabet.length]}${alphabet[Math.floor(i / alphabet.length)]}`
  );
}

/** A CTR text whose Attributes hold `names` (value: the name) and which is padded to about `bytes`. */
function ctrText(names: readonly string[], bytes = 0): Buffer {
  const attributes = names.map((name) => `"${name}":"${name}"`).join(',');
  const head = `{"ContactId":"c","Attributes":{${attributes}},"Recordings":"`;
  return Buffer.from(`${head}${'r'.repeat(Math.max(0, bytes - head.length - 2))}"}`);
}

const CTR = Buffer.from(
  JSON.stringify({
    ContactId: 'c-1',
    Channel: 'VOICE',
    Queue: { Name: 'Support', ARN: 'arn:q', Duration: 4 },
    Agent: { ConnectedToAgentTimestamp: '2025-01-01T00:00:00Z', Username: 'u' },
    CustomerEndpoint: { Address: '+15555550100', Type: 'TELEPHONE_NUMBER' },
    TransferredToEndpoint: null,
    Attributes: { callbackNumber: '+15555550101', other: 'x' },
    Recordings: [{ Location: 's3://b/k' }]
  })
);
const CTR_FIELDS_READ = {
  ContactId: 'c-1',
  Channel: 'VOICE',
  Queue: { Name: 'Support', Duration: 4 },
  Agent: { ConnectedToAgentTimestamp: '2025-01-01T00:00:00Z' },
  CustomerEndpoint: { Address: '+15555550100', Type: 'TELEPHONE_NUMBER' },
  TransferredToEndpoint: null,
  Attributes: { callbackNumber: '+15555550101' }
};

test('a match never writes its slots past the memory: the largest key set the key area takes, at every text size', () => {
  // 1,600 names: a table of about 16 KB (the whole key area) and 19 KB of slots after the text; the texts grow
  // 1 KB at a time so that, each time the memory grows, the room left after a text shrinks through every size.
  const names = twoCharacterNames(1600);
  const keys = keySet(names);
  const picked = names.filter((_, i) => i % 97 === 0);
  for (let bytes = 1024; bytes <= 160 * 1024; bytes += 1024) {
    const text = ctrText(picked, bytes);
    expect({ bytes, picked: pickCtrFields(text, keys) }).toStrictEqual({
      bytes,
      picked: { ContactId: 'c', Attributes: Object.fromEntries(picked.map((name) => [name, name])) }
    });
  }
  expect(scannerStats().objectsMatchedInJavaScript).toBe(0);
});

test('keys without escapes are matched by the scanner, each key set placed in its memory once', () => {
  const attributes = keySet(['callbackNumber', 'optOut']);
  const before = scannerStats();
  for (let i = 0; i < 5; i++) expect(pickCtrFields(CTR, attributes)).toStrictEqual(CTR_FIELDS_READ);
  const after = scannerStats();
  expect(after.objectsMatchedInJavaScript).toBe(before.objectsMatchedInJavaScript);
  // the CTR's fields, Queue, Agent, CustomerEndpoint (TransferredToEndpoint is null) and the attributes: once each
  // at most (the first test may have placed some of them already)
  expect(after.tablesPlaced - before.tablesPlaced).toBeGreaterThanOrEqual(1); // the new attribute set at least
  expect(after.tablesPlaced - before.tablesPlaced).toBeLessThanOrEqual(5);
  expect(pickCtrFields(CTR, attributes)).toStrictEqual(CTR_FIELDS_READ);
  expect(scannerStats()).toEqual(after);
});

test('an escaped key has that object compared in JavaScript, with the same result', () => {
  const attributes = keySet(['callbackNumber']);
  const escapedQueueKey = Buffer.from(CTR.toString().replace('"Name"', '"N\\u0061me"'));
  const before = scannerStats().objectsMatchedInJavaScript;
  expect(pickCtrFields(escapedQueueKey, attributes)).toStrictEqual(CTR_FIELDS_READ);
  expect(scannerStats().objectsMatchedInJavaScript).toBe(before + 1);
  const escapedField = Buffer.from(CTR.toString().replace('"Channel"', '"\\u0043hannel"'));
  expect(pickCtrFields(escapedField, attributes)).toStrictEqual(CTR_FIELDS_READ);
  expect(scannerStats().objectsMatchedInJavaScript).toBe(before + 2);
});

test('an escaped value does not make the key after it count as escaped (its object stays with the scanner)', () => {
  const attributes = keySet(['callbackNumber']);
  const escapedValues = Buffer.from(
    JSON.stringify({
      ContactId: 'c-1\n',
      Channel: 'VOICE',
      Queue: { ARN: 'arn:"q"', Name: 'Support' },
      Attributes: { other: 'x\ty', callbackNumber: '+15555550101' }
    })
  );
  const before = scannerStats().objectsMatchedInJavaScript;
  expect(pickCtrFields(escapedValues, attributes)).toStrictEqual({
    ContactId: 'c-1\n',
    Channel: 'VOICE',
    Queue: { Name: 'Support' },
    Attributes: { callbackNumber: '+15555550101' }
  });
  expect(scannerStats().objectsMatchedInJavaScript).toBe(before);
});

test('a key set too large for the key area is compared in JavaScript, with the same result', () => {
  const names = twoCharacterNames(2000);
  const keys = keySet(names);
  const wanted = [names[0], names[1000], names[1999]] as string[];
  const before = scannerStats().objectsMatchedInJavaScript;
  expect(pickCtrFields(ctrText([...wanted, 'not-a-name']), keys)).toStrictEqual({
    ContactId: 'c',
    Attributes: Object.fromEntries(wanted.map((name) => [name, name]))
  });
  expect(scannerStats().objectsMatchedInJavaScript).toBe(before + 1);
});

test('two key sets of 9 KB each, read in turn, never share the key area: each is placed again when needed', () => {
  const first = keySet(twoCharacterNames(900));
  const second = keySet(twoCharacterNames(1800).slice(900));
  const [a, b] = [twoCharacterNames(900)[5] as string, twoCharacterNames(1800)[1700] as string];
  for (let round = 0; round < 4; round++) {
    expect(pickCtrFields(ctrText([a, b]), first)).toStrictEqual({ ContactId: 'c', Attributes: { [a]: a } });
    expect(pickCtrFields(ctrText([a, b]), second)).toStrictEqual({ ContactId: 'c', Attributes: { [b]: b } });
  }
});
