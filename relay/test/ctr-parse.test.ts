/**
 * The strict scanner of ctr-parse.ts against JSON.parse as the oracle: the same texts accepted and refused (random
 * JSON texts written every way JSON allows, CTR-shaped objects, texts with a byte deleted, inserted or changed, and
 * the edge cases one by one), and the fields read exactly what JSON.parse gives.
 */
import fc from 'fast-check';
import { CTR_FIELDS, CTR_MEMBER_FIELDS } from '../src/ctr';
import {
  keySet,
  MAX_DEPTH,
  MAX_MEMBERS,
  pickCtrFields,
  SCAN_INVALID,
  SCAN_NOT_OBJECT,
  SCAN_UNDECIDED,
  scanJson,
  textArea,
  writtenTextIsAscii
} from '../src/ctr-parse';
import { isObject, pickedFields } from './support/picked';

type Oracle = { ok: true; value: unknown } | { ok: false };

function oracle(text: string): Oracle {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Attribute names picked in every parity check below: names the generators write plainly, escaped and duplicated
 * (a field's name, "__proto__", UTF-8, one letter, the empty name) and one they never write.
 */
const ATTRIBUTE_NAMES = ['a', 'k', 'ContactId', 'Channel', 'Queue/', '__proto__', 'clé', '', 'never-written'];
const ATTRIBUTE_KEYS = keySet(ATTRIBUTE_NAMES);

/** Asserts the scanner and pickCtrFields agree with JSON.parse on this text (as UTF-8 bytes). */
function expectParity(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  const expected = oracle(bytes.toString());
  const { result } = scanJson(bytes);
  if (!expected.ok) {
    expect({ text, result }).toEqual({ text, result: SCAN_INVALID });
    expect(pickCtrFields(bytes)).toBeNull();
    expect(pickCtrFields(bytes, ATTRIBUTE_KEYS)).toBeNull();
    return;
  }
  if (!isObject(expected.value)) {
    expect({ text, result }).toEqual({ text, result: SCAN_NOT_OBJECT });
    expect(pickCtrFields(bytes)).toBeNull();
    expect(pickCtrFields(bytes, ATTRIBUTE_KEYS)).toBeNull();
    return;
  }
  expect(result).toBeGreaterThanOrEqual(0);
  expect(pickCtrFields(bytes)).toStrictEqual(pickedFields(expected.value));
  expect({ text, picked: pickCtrFields(bytes, ATTRIBUTE_KEYS) }).toStrictEqual({
    text,
    picked: pickedFields(expected.value, ATTRIBUTE_NAMES)
  });
}

// ---- JSON texts written every way JSON allows (and a few it does not, through the mutations below) ----

const ws = fc.constantFrom('', '', '', ' ', '\n', '\t', '\r', ' \r\n\t ');
const plainChar = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 1 })
  .filter((c) => c !== '"' && c !== '\\' && c.charCodeAt(0) >= 0x20);
const hex4 = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.boolean()).map(([n, upper]) => {
  const digits = n.toString(16).padStart(4, '0');
  return `\\u${upper ? digits.toUpperCase() : digits}`;
});
const stringChar = fc.oneof(
  { weight: 6, arbitrary: plainChar },
  { weight: 2, arbitrary: fc.constantFrom('\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t') },
  // \ud800-\udfff alone included: JSON.parse accepts lone surrogates written as escapes
  { weight: 1, arbitrary: hex4 },
  { weight: 1, arbitrary: fc.constantFrom('\\ud800', '\\uDC00', '\\ud83d\\ude00', 'é', '€', '😀', '\u007f') }
);
const jsonString = fc.array(stringChar, { maxLength: 24 }).map((chars) => `"${chars.join('')}"`);
const digits = fc.stringMatching(/^[0-9]{1,4}$/);
const jsonNumber = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,5}$/)),
    fc.option(digits, { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits), { nil: undefined })
  )
  .map(
    ([negative, int, frac, exp]) =>
      `${negative ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}${exp === undefined ? '' : exp.join('')}`
  );
const ctrKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...CTR_FIELDS.map((name) => JSON.stringify(name))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('"Contact\\u0049d"', '"\\u0043hannel"', '"Queue\\/"', '"__proto__"')
  },
  { weight: 2, arbitrary: jsonString }
);

const { value: jsonText } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonString,
    jsonNumber,
    fc.constantFrom('true', 'false', 'null'),
    tie('array'),
    tie('object')
  ),
  array: fc
    .tuple(ws, fc.array(fc.tuple(ws, tie('value'), ws), { maxLength: 5 }))
    .map(([inner, items]) =>
      items.length === 0 ? `[${inner}]` : `[${items.map((i) => i.join('')).join(',')}]`
    ),
  object: fc
    .tuple(ws, fc.array(fc.tuple(ws, ctrKey, ws, ws, tie('value'), ws), { maxLength: 6 }))
    .map(([inner, members]) =>
      members.length === 0
        ? `{${inner}}`
        : `{${members.map(([a, key, b, c, v, d]) => `${a}${key}${b}:${c}${v}${d}`).join(',')}}`
    )
}));

/** A CTR-shaped object text: the fields the relay reads (some twice), others beside them, any value types. */
const ctrText = fc
  .tuple(ws, fc.array(fc.tuple(ws, ctrKey, ws, jsonText), { minLength: 1, maxLength: 24 }), ws)
  .map(
    ([before, members, after]) =>
      `${before}{${members.map(([a, key, b, value]) => `${a}${key}:${b}${value}`).join(',')}}${after}`
  );

/** Every name picked inside an object value: the attribute names above and CTR_MEMBER_FIELDS. */
const MEMBER_NAMES = [...new Set([...ATTRIBUTE_NAMES, ...Object.values(CTR_MEMBER_FIELDS).flat()])];
/** A key inside an object value: the picked names written plainly or with escapes, and any other. */
const memberKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MEMBER_NAMES.map((name) => JSON.stringify(name))) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '"\\u0061"',
      '"cl\\u00e9"',
      '"Queue\\/"',
      '"__pro\\u0074o__"',
      '"A"',
      '"N\\u0061me"',
      '"\\u0054ype"',
      '"Duratio"',
      '"Addresss"'
    )
  },
  { weight: 2, arbitrary: jsonString }
);
/** An object field's value: mostly an object (names twice, any value types, any whitespace), sometimes anything else. */
const objectValue = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(ws, fc.array(fc.tuple(ws, memberKey, ws, ws, jsonText, ws), { maxLength: 10 }))
      .map(([inner, members]) =>
        members.length === 0
          ? `{${inner}}`
          : `{${members.map(([a, key, b, c, v, d]) => `${a}${key}${b}:${c}${v}${d}`).join(',')}}`
      )
  },
  { weight: 1, arbitrary: jsonText }
);
/**
 * A CTR-shaped object text with object fields (Attributes, Queue, Agent, the endpoints; sometimes one twice, the last
 * wins) among the others.
 */
const ctrWithObjects = fc
  .tuple(
    fc.array(fc.tuple(ws, ctrKey, ws, jsonText), { maxLength: 6 }),
    fc.array(
      fc.tuple(
        fc.constantFrom(
          '"Attributes"',
          '"Attribut\\u0065s"',
          '"Queue"',
          '"Agent"',
          '"Ag\\u0065nt"',
          '"CustomerEndpoint"',
          '"TransferredToEndpoint"'
        ),
        ws,
        objectValue,
        ws
      ),
      { minLength: 1, maxLength: 4 }
    ),
    fc.array(fc.tuple(ws, ctrKey, ws, jsonText), { maxLength: 6 })
  )
  .map(([before, attributes, after]) => {
    const members = [
      ...before.map(([a, key, b, value]) => `${a}${key}:${b}${value}`),
      ...attributes.map(([key, a, value, b]) => `${key}:${a}${value}${b}`),
      ...after.map(([a, key, b, value]) => `${a}${key}:${b}${value}`)
    ];
    return `{${members.join(',')}}`;
  });

/** A byte deleted, inserted or changed: JSON's structural characters and the usual suspects. */
const noise = fc.constantFrom(
  ...'{}[],:"\\/0123456789-+.eEtrufalsn \t\n\r\u0000\u0001\u001f\u007fé\u00a0\u2028\ufeffxu'.split('')
);
function mutated(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(text, fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), noise)
    .map(([t, at, op, c]) => {
      const i = t.length === 0 ? 0 : at % t.length;
      if (op === 'delete') return t.slice(0, i) + t.slice(i + 1);
      if (op === 'insert') return t.slice(0, i) + c + t.slice(i);
      return t.slice(0, i) + c + t.slice(i + 1);
    });
}

describe('ctr-parse: accepts and refuses exactly what JSON.parse does, and reads the same fields', () => {
  test('random JSON texts, every kind of value at the top', () => {
    fc.assert(
      fc.property(jsonText, (t) => expectParity(t)),
      { numRuns: 1500 }
    );
  });

  test('random CTR-shaped objects: duplicates, escaped keys, __proto__, any value types', () => {
    fc.assert(
      fc.property(ctrText, (t) => expectParity(t)),
      { numRuns: 1500 }
    );
  });

  test('random CTR-shaped objects with Attributes, Queue, Agent…: the picked names read exactly as JSON.parse gives them', () => {
    fc.assert(
      fc.property(ctrWithObjects, (t) => expectParity(t)),
      { numRuns: 2000 }
    );
    fc.assert(
      fc.property(mutated(ctrWithObjects), (t) => expectParity(t)),
      { numRuns: 1000 }
    );
  });

  test('texts with one character deleted, inserted or changed', () => {
    fc.assert(
      fc.property(mutated(ctrText), (t) => expectParity(t)),
      { numRuns: 3000 }
    );
    fc.assert(
      fc.property(mutated(jsonText), (t) => expectParity(t)),
      { numRuns: 1500 }
    );
  });

  test('JSON.stringify of random values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 1, '\t'), (v, indent) =>
        expectParity(JSON.stringify(v, null, indent))
      ),
      { numRuns: 500 }
    );
  });
});

describe('ctr-parse: the edge cases one by one', () => {
  test.each([
    ['empty text', ''],
    ['whitespace only', ' \n'],
    ['an object', '{}'],
    ['an object with whitespace inside', '{ \t\n\r}'],
    ['text after the value', '{} x'],
    ['two values', '{}{}'],
    ['a byte-order mark (the caller drops it; JSON.parse refuses it)', '\ufeff{}'],
    ['no-break space is not JSON whitespace', '{\u00a0}'],
    ['vertical tab is not JSON whitespace', '{\u000b}'],
    ['form feed is not JSON whitespace', '\u000c{}'],
    ['unclosed object', '{"ContactId":"a"'],
    ['unclosed array', '{"a":[1,2}'],
    ['mismatched closers', '{"a":[1}]'],
    ['trailing comma in an object', '{"a":1,}'],
    ['trailing comma in an array', '{"a":[1,]}'],
    ['leading comma', '{,"a":1}'],
    ['missing colon', '{"a" 1}'],
    ['double colon', '{"a"::1}'],
    ['a key that is not a string', '{a:1}'],
    ['a number as a key', '{1:1}'],
    ['single quotes', "{'a':1}"],
    ['unterminated string', '{"a":"abc}'],
    ['unterminated key', '{"abc'],
    ['a string ending in a backslash', '{"a":"abc\\'],
    ['an escape cut short', '{"a":"\\u12'],
    ['bad escape', '{"a":"\\x41"}'],
    ['escaped single quote', '{"a":"\\\'"}'],
    ['a bad hex digit', '{"a":"\\u12g4"}'],
    ['upper-case hex', '{"a":"\\uABCD"}'],
    ['lone high surrogate', '{"ContactId":"\\ud800"}'],
    ['lone low surrogate', '{"ContactId":"\\udfff x"}'],
    ['a surrogate pair', '{"ContactId":"\\ud83d\\ude00"}'],
    ['every simple escape', '{"ContactId":"\\"\\\\\\/\\b\\f\\n\\r\\t"}'],
    ['DEL is allowed raw', '{"ContactId":"a\u007fb"}'],
    ['U+2028 is allowed raw', '{"ContactId":"a\u2028b"}'],
    ['NUL in a string', '{"ContactId":"a\u0000b"}'],
    ['NUL after the value', '{}\u0000'],
    ['tab in a string', '{"ContactId":"a\tb"}'],
    ['newline in a string', '{"ContactId":"a\nb"}'],
    ['unit separator in a string', '{"ContactId":"a\u001fb"}'],
    ['a control character in a key', '{"Contact\u0001Id":"a"}'],
    ['true', '{"a":true}'],
    ['false', '{"a":false}'],
    ['null', '{"Agent":null}'],
    ['tru', '{"a":tru}'],
    ['nul', '{"a":nul}'],
    ['fals', '{"a":fals}'],
    ['True', '{"a":True}'],
    ['trueish', '{"a":truex}'],
    ['zero', '{"AgentConnectionAttempts":0}'],
    ['negative zero', '{"AgentConnectionAttempts":-0}'],
    ['leading zero', '{"AgentConnectionAttempts":01}'],
    ['minus alone', '{"AgentConnectionAttempts":-}'],
    ['plus sign', '{"AgentConnectionAttempts":+1}'],
    ['a dot without digits', '{"AgentConnectionAttempts":1.}'],
    ['a leading dot', '{"AgentConnectionAttempts":.5}'],
    ['an exponent without digits', '{"AgentConnectionAttempts":1e}'],
    ['an exponent sign without digits', '{"AgentConnectionAttempts":1e+}'],
    ['all number parts', '{"AgentConnectionAttempts":-12.50E+03}'],
    ['a huge number', '{"AgentConnectionAttempts":1e400}'],
    ['a colon after a minus (the character after 9)', '{"AgentConnectionAttempts":-:}'],
    ['d is no exponent', '{"AgentConnectionAttempts":1d5}'],
    ['D is no exponent', '{"AgentConnectionAttempts":1D5}'],
    ['a string right after a number, no comma', '{"a":1"b"}'],
    ['a string right after a string, no comma', '{"a":"x""y"}'],
    ['a string right after a literal, no comma', '{"a":true"b"}'],
    ['a string right after an array, no comma', '{"a":[1]"b"}'],
    ['a string right after an object, no comma', '{"a":{"x":1}"b"}'],
    ['a string right after a nested array, no comma', '{"a":[[1]"b"]}'],
    ['a long fraction', '{"AgentConnectionAttempts":0.10000000000000000000000000001}'],
    ['hex number', '{"AgentConnectionAttempts":0x10}'],
    ['Infinity', '{"AgentConnectionAttempts":Infinity}'],
    ['NaN', '{"AgentConnectionAttempts":NaN}'],
    ['a number ending the text', '{"a":1'],
    ['an array at the top', '[{"ContactId":"a"}]'],
    ['a string at the top', '"ContactId"'],
    ['a number at the top', '12'],
    ['null at the top', 'null'],
    ['nested empty containers', '{"a":[[],{},[{}]],"b":{"c":{}}}'],
    ['duplicate field, last wins', '{"ContactId":"first","ContactId":"last"}'],
    ['duplicate field, last is not a string', '{"ContactId":"first","ContactId":7}'],
    ['an escaped key naming a field', '{"Contact\\u0049d":"a","\\u0043hannel":"VOICE"}'],
    ['an escaped string value', '{"ContactId":"a\\"b","Channel":"VO\\u0049CE"}'],
    ['__proto__ at the top', '{"__proto__":{"ContactId":"x"},"Channel":"VOICE"}'],
    ['__proto__ inside a field', '{"Attributes":{"__proto__":"x","a":"b"},"Queue":{"__proto__":null}}'],
    ['a field named like a prototype property', '{"constructor":1,"toString":2,"ContactId":"a"}'],
    ['UTF-8 in keys and values', '{"ContactId":"çà€😀","Attributes":{"clé":"valeur é"},"Ĉhannel":"x"}'],
    ['a key as long as a field', '{"ContactIx":"a","ContactId":"b","Agentx":1}'],
    [
      'every field',
      `{${CTR_FIELDS.map((name, i) => `"${name}":${i % 2 === 0 ? `"v${i}"` : `{"k":[${i}]}`}`).join(',')}}`
    ]
  ])('%s', (_name, text) => {
    expectParity(text);
  });

  test('strings of every length up to 40 with a quote, backslash or control character at every position', () => {
    for (let length = 0; length <= 40; length++) {
      const base = 'x'.repeat(length);
      expectParity(`{"ContactId":"${base}"}`);
      for (let at = 0; at < length; at++) {
        for (const c of ['"', '\\', '\\n', '\u0000', '\u001f', ' ', 'é']) {
          expectParity(`{"ContactId":"${base.slice(0, at)}${c}${base.slice(at + 1)}"}`);
        }
      }
    }
  });

  test('a text cut short anywhere is refused, like JSON.parse refuses it', () => {
    const full =
      '{"ContactId":"a\\u00e9\\"b","Channel":"VOICE","Queue":{"Name":"q","Duration":-1.5e+2},' +
      '"Recordings":[{"Location":"s3://x","Ok":true,"Size":null}],"Attributes":{"k":"v","n":false}}';
    for (let cut = 0; cut <= full.length; cut++) expectParity(full.slice(0, cut));
  });

  test(`nesting beyond ${MAX_DEPTH} levels is left to JSON.parse; up to it the scanner decides`, () => {
    const nested = (depth: number): string =>
      `{"ContactId":"a","x":${'['.repeat(depth - 1)}0${']'.repeat(depth - 1)}}`;
    expect(scanJson(Buffer.from(nested(MAX_DEPTH))).result).toBe(2);
    expect(pickCtrFields(Buffer.from(nested(MAX_DEPTH)))).toEqual({ ContactId: 'a' });
    expect(scanJson(Buffer.from(nested(MAX_DEPTH + 1))).result).toBe(SCAN_UNDECIDED);
    expect(pickCtrFields(Buffer.from(nested(MAX_DEPTH + 1)))).toBeNull();
    // an empty array opens no level
    const arrays = (count: number): Buffer => Buffer.from(`{"x":${'['.repeat(count)}${']'.repeat(count)}}`);
    expect(scanJson(arrays(MAX_DEPTH)).result).toBe(1);
    expect(scanJson(arrays(MAX_DEPTH + 1)).result).toBe(SCAN_UNDECIDED);
    // still refused when invalid before the limit is reached
    expect(scanJson(Buffer.from(`{"x":[}${'['.repeat(MAX_DEPTH + 5)}`)).result).toBe(SCAN_INVALID);
  });

  test(`more than ${MAX_MEMBERS} top-level members are left to JSON.parse`, () => {
    const members = (count: number): string =>
      `{${Array.from({ length: count }, (_, i) => `"k${i}":${i}`).join(',')},"ContactId":"a"}`;
    expect(scanJson(Buffer.from(members(MAX_MEMBERS - 1))).result).toBe(MAX_MEMBERS);
    expect(pickCtrFields(Buffer.from(members(MAX_MEMBERS - 1)))).toEqual({ ContactId: 'a' });
    expect(scanJson(Buffer.from(members(MAX_MEMBERS))).result).toBe(SCAN_UNDECIDED);
    // members inside a field do not count
    const nestedMembers = `{"Attributes":{${Array.from({ length: MAX_MEMBERS + 10 }, (_, i) => `"k${i}":"v"`).join(',')}}}`;
    expect(scanJson(Buffer.from(nestedMembers)).result).toBe(1);
  });

  test('a text larger than the scanner memory so far makes it grow, and smaller ones still read right after', () => {
    const big = `{"ContactId":"big","Recordings":[${Array.from({ length: 20_000 }, (_, i) => `{"n":${i},"s":"${'y'.repeat(i % 40)}"}`).join(',')}],"Channel":"VOICE"}`;
    expect(big.length).toBeGreaterThan(600_000);
    expect(pickCtrFields(Buffer.from(big))).toEqual({ ContactId: 'big', Channel: 'VOICE' });
    expectParity('{"ContactId":"small","Channel":"CHAT"}');
    expectParity(`${big.slice(0, -1)},}`);
  });

  test('reads the text given, not what the memory held before (a shorter text after a longer one)', () => {
    expectParity('{"ContactId":"a-long-identifier-value","Channel":"VOICE","Queue":{"Name":"q"}}');
    expectParity('{"ContactId":"a"');
    expectParity('{"ContactId":"ab"}');
  });

  test.each([
    ['whitespace after Attributes, then a comma', '{"Attributes":{"a":"1"} \n\t,"ContactId":"x"}'],
    ['whitespace after Attributes, then the end', '{"ContactId":"x","Attributes":{"a":"1","k":"2"}\r\n }'],
    ['Attributes first, no whitespace', '{"Attributes":{"k":"v"},"ContactId":"x"}'],
    ['an empty Attributes object', '{"Attributes":{ },"ContactId":"x"}'],
    ['names twice, the last not a string', '{"Attributes":{"a":"first","k":"v","a":{"n":[1]}}}'],
    ['escaped names and values', '{"Attributes":{"\\u0061":"x\\"y","cl\\u00e9":"\\u00e9t\\u00e9","b":"c"}}'],
    ['__proto__ as a picked name', '{"Attributes":{"__proto__":"p","__pro\\u0074o__":{"x":1},"a":"2"}}'],
    ['the empty name', '{"Attributes":{"":"empty","a":""}}'],
    [
      'Attributes twice: the last wins',
      '{"Attributes":{"a":"old","k":"old"},"ContactId":"x","Attributes":{"k":"new"}}'
    ],
    ['Attributes under an escaped key', '{"Attribut\\u0065s":{"a":"1","z":"2"}}'],
    ['Attributes null', '{"Attributes":null,"ContactId":"x"}'],
    ['Attributes a string', '{"Attributes":"a=1","ContactId":"x"}'],
    ['Attributes an array', '{"Attributes":[{"a":"1"}],"ContactId":"x"}'],
    ['Attributes nested deeply', '{"Attributes":{"a":{"b":{"c":[[{"a":"x"}]]}},"k":"v"}}']
  ])('Attributes: %s', (_name, text) => {
    expectParity(text);
  });

  test(`an Attributes object of more than ${MAX_MEMBERS} members is read whole, then picked`, () => {
    const many = Array.from({ length: MAX_MEMBERS + 5 }, (_, i) => `"k${i}":"v${i}"`).join(',');
    const text = `{"ContactId":"x","Attributes":{${many},"a":"last","k":7}}`;
    expect(pickCtrFields(Buffer.from(text), ATTRIBUTE_KEYS)).toStrictEqual({
      ContactId: 'x',
      Attributes: { a: 'last', k: 7 }
    });
    expectParity(text);
  });

  test('a picked "__proto__" attribute is an own property like any other, as JSON.parse makes it', () => {
    const picked = pickCtrFields(Buffer.from('{"Attributes":{"__proto__":"p","a":"1"}}'), ATTRIBUTE_KEYS);
    const attributes = picked?.Attributes as object;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')).toEqual(
      Object.getOwnPropertyDescriptor(JSON.parse('{"__proto__":"p"}'), '__proto__')
    );
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')).toEqual({
      value: 'p',
      writable: true,
      enumerable: true,
      configurable: true
    });
  });

  test('a key set lists each name once and compares names by their UTF-8 bytes', () => {
    const keys = keySet(['a', 'clé', 'a', 'cle']);
    expect(keys.names).toEqual(['a', 'clé', 'cle']);
    const text = Buffer.from('{"Attributes":{"clé":"1","cle":"2","cl":"3","a":"4"}}');
    expect(pickCtrFields(text, keys)).toStrictEqual({ Attributes: { a: '4', clé: '1', cle: '2' } });
    expect(pickCtrFields(text, keySet([]))).toStrictEqual({ Attributes: {} });
  });

  test.each([
    [
      'Queue: its members picked, others left out',
      '{"Queue":{"ARN":"arn:q","Name":"Support","Duration":12}}'
    ],
    [
      'Agent: a member twice, the last wins',
      '{"Agent":{"AgentInteractionDuration":5,"Username":"u","AgentInteractionDuration":"7"}}'
    ],
    [
      'an endpoint with an escaped key',
      '{"CustomerEndpoint":{"\\u0054ype":"TELEPHONE_NUMBER","Address":"+15555550100"}}'
    ],
    [
      'a key one byte off a member name',
      '{"TransferredToEndpoint":{"Addres":"a","Address":"b","Addresz":"c","Typ":"d"}}'
    ],
    [
      'members that are not strings',
      '{"Queue":{"Name":null,"EnqueueTimestamp":{"a":1},"DequeueTimestamp":[1],"Duration":true}}'
    ],
    [
      'object fields that are not objects',
      '{"Queue":"q","Agent":[{"Username":"u"}],"CustomerEndpoint":null,"TransferredToEndpoint":7}'
    ],
    ['empty object fields', '{"Queue":{},"Agent":{ },"CustomerEndpoint":{"Type":""}}'],
    [
      'a member named __proto__ beside the picked ones',
      '{"Agent":{"__proto__":{"x":1},"ConnectedToAgentTimestamp":"t"}}'
    ]
  ])('members of Queue, Agent and the endpoints: %s', (_name, text) => {
    expectParity(text);
  });

  test('a key set too large for the scanner memory compares its names in JavaScript, with the same result', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `attribute${i}`);
    const keys = keySet([...names, 'a']);
    const text = '{"Attributes":{"attribute2999":"last","a":"1","attribute7":"7","attribute30000":"no"}}';
    expect(pickCtrFields(Buffer.from(text), keys)).toStrictEqual({
      Attributes: { attribute7: '7', attribute2999: 'last', a: '1' }
    });
  });

  test('key sets used in turn read right, also after the key area filled up and was placed again', () => {
    const text = (name: string): Buffer => Buffer.from(`{"Attributes":{"${name}":"v-${name}","other":"x"}}`);
    const first = keySet(['first']);
    expect(pickCtrFields(text('first'), first)).toStrictEqual({ Attributes: { first: 'v-first' } });
    // enough sets of 400 names to fill the area several times over; each reads only its own names
    for (let round = 0; round < 12; round++) {
      const names = Array.from({ length: 400 }, (_, i) => `r${round}n${i}`);
      const keys = keySet(names);
      expect(pickCtrFields(text(`r${round}n399`), keys)).toStrictEqual({
        Attributes: { [`r${round}n399`]: `v-r${round}n399` }
      });
      expect(pickCtrFields(text('first'), first)).toStrictEqual({ Attributes: { first: 'v-first' } });
    }
  });

  test('a written text is ASCII exactly when no byte is 0x80 or above, wherever it is (16-byte steps, then the rest)', () => {
    for (const length of [0, 1, 15, 16, 17, 31, 32, 33, 100]) {
      const ascii = Buffer.alloc(length, 0x7f);
      textArea(length + 16).fill(0xff, length, length + 16); // what follows the text is not read
      textArea(length).set(ascii);
      expect({ length, ascii: writtenTextIsAscii(length) }).toEqual({ length, ascii: true });
      for (let at = 0; at < length; at++) {
        const text = Buffer.from(ascii);
        text[at] = 0x80;
        textArea(length).set(text);
        expect({ length, at, ascii: writtenTextIsAscii(length) }).toEqual({ length, at, ascii: false });
      }
    }
  });

  test('a Uint8Array that is not a Buffer reads the same', () => {
    const text = '{"ContactId":"u8","Attributes":{"a":"b"}}';
    const bytes = new Uint8Array(Buffer.from(text));
    expect(pickCtrFields(bytes)).toEqual({ ContactId: 'u8', Attributes: { a: 'b' } });
  });
});
