/**
 * Decoding a Kinesis record: base64 → strict UTF-8 → JSON object with a string ContactId. Garbage is reported with a
 * reason, never thrown, so one bad record cannot block its shard.
 */
import fc from 'fast-check';
import type { KinesisStreamRecord } from 'aws-lambda';
import { CTR_FIELDS } from '../src/ctr';
import { decodeBase64Strict, decodeKinesisRecord, decodeUtf8Strict, parseCtrText } from '../src/decode';
import { kinesisRecord, loadCtr, loadReferenceKinesisRecords } from './support/ctr-fixtures';
import { pickedFields } from './support/picked';

const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');

/** What the decoder must accept: a JSON object whose own ContactId is a non-empty string. */
function isValidCtrJson(textValue: string): boolean {
  try {
    const value: unknown = JSON.parse(textValue);
    return (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.prototype.hasOwnProperty.call(value, 'ContactId') &&
      typeof (value as { ContactId: unknown }).ContactId === 'string' &&
      (value as { ContactId: string }).ContactId.trim() !== ''
    );
  } catch {
    return false;
  }
}

describe('decodeKinesisRecord: examples', () => {
  test('a CTR from the stream decodes to the fields the relay reads, keeping the sequence number', () => {
    const ctr = loadCtr('voice-inbound-abandoned-in-queue');
    expect(
      decodeKinesisRecord(kinesisRecord(ctr, '49590338271490256608559692538361571095921575989136588801'))
    ).toStrictEqual({
      ok: true,
      ctr: pickedFields(ctr),
      sequenceNumber: '49590338271490256608559692538361571095921575989136588801'
    });
  });

  test('all five records of the reference Kinesis event decode', () => {
    const results = loadReferenceKinesisRecords().map((r) => decodeKinesisRecord(r));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    expect(results.map((r) => (r.ok ? r.ctr.ContactId : null))).toEqual([
      '15a5cf14-3212-45a1-9f86-a8e97db8afaf',
      '7d1f0c3a-5b2e-4c8d-9a61-0e2b4f6a8c10',
      '7d1f0c3a-5b2e-4c8d-9a61-0e2b4f6a8c10',
      'c0ffee00-1234-4abc-8def-0123456789ab',
      'b07b07b0-7b07-4b07-8b07-b07b07b07b07'
    ]);
  });

  test.each<[string, string, RegExp]>([
    ['characters outside the base64 alphabet', 'eyJDb250YWN0SWQiOiJhIn0*', /^not base64$/],
    ['base64 with bad padding', 'eyJ==', /^not base64$/],
    ['base64 with padding in the middle', 'e===eyJ9', /^not base64$/],
    [
      'base64url alphabet',
      b64('{"ContactId":"a?>"}').replace(/\+/g, '-').replace(/\//g, '_') + '-_',
      /^not base64$/
    ],
    ['Latin-1 bytes (invalid UTF-8)', b64(Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d])), /^not UTF-8$/],
    ['a lone UTF-8 continuation byte', b64(Buffer.from([0x80])), /^not UTF-8$/],
    ['an overlong encoding', b64(Buffer.from([0xc0, 0xaf])), /^not UTF-8$/],
    ['empty data', '', /^not JSON: /],
    ['text that is not JSON', b64('hello'), /^not JSON: /],
    ['a JSON array', b64('[{"ContactId":"a"}]'), /^not a JSON object \(got an array\)$/],
    ['JSON null', b64('null'), /^not a JSON object \(got null\)$/],
    ['a JSON string', b64('"x"'), /^not a JSON object \(got a string\)$/],
    ['a JSON number', b64('42'), /^not a JSON object \(got a number\)$/],
    ['an object without ContactId', b64('{"Channel":"VOICE"}'), /^ContactId missing or not a string$/],
    ['a numeric ContactId', b64('{"ContactId":42}'), /^ContactId missing or not a string$/],
    ['a null ContactId', b64('{"ContactId":null}'), /^ContactId missing or not a string$/],
    ['an empty ContactId', b64('{"ContactId":"  "}'), /^ContactId is empty$/],
    ['ContactId only inherited via __proto__', b64('{"__proto__":{"ContactId":"x"}}'), /^ContactId missing/]
  ])('%s → ok:false with a reason', (_case, data, reason) => {
    const result = decodeKinesisRecord(kinesisRecord(data, '7'));
    expect(result).toEqual({ ok: false, sequenceNumber: '7', reason: expect.stringMatching(reason) });
  });

  test('a UTF-8 byte order mark is tolerated', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"ContactId":"bom"}')]);
    expect(decodeKinesisRecord(kinesisRecord(b64(bytes)))).toMatchObject({
      ok: true,
      ctr: { ContactId: 'bom' }
    });
  });

  test('non-ASCII text survives (names, accents, emoji)', () => {
    const ctr = { ContactId: 'c-1', Attributes: { customerName: 'Zoë Ångström 😀' } };
    expect(decodeKinesisRecord(kinesisRecord(b64(JSON.stringify(ctr))))).toMatchObject({ ok: true, ctr });
  });

  test('a phone number quoted by the JSON parser is masked in the reason', () => {
    const result = parseCtrText('+447700900123 is not a CTR');
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('7700900123');
  });

  test.each<[string, unknown]>([
    ['no kinesis payload', { eventID: 'x' }],
    ['kinesis is null', { kinesis: null }],
    ['data is a number', { kinesis: { sequenceNumber: '9', data: 12 } }],
    ['the record itself is null', null],
    ['the record is a string', 'data']
  ])('a malformed Kinesis record (%s) → ok:false, never thrown', (_case, record) => {
    const result = decodeKinesisRecord(record as KinesisStreamRecord);
    expect(result.ok).toBe(false);
    expect(result).toEqual({
      ok: false,
      sequenceNumber: expect.any(String),
      reason: 'not base64: the Kinesis record has no data'
    });
  });
});

describe('decoding: properties (fast-check)', () => {
  test('arbitrary bytes never throw, and decode only when they really are a CTR JSON object', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = decodeKinesisRecord(kinesisRecord(b64(bytes), '1'));
        const textValue = decodeUtf8Strict(bytes);
        const expectedOk = textValue !== null && isValidCtrJson(textValue);
        expect(result.ok).toBe(expectedOk);
        if (!result.ok)
          expect(result.reason).toMatch(/^(not base64|not UTF-8|not JSON: |not a JSON object|ContactId )/);
      }),
      { numRuns: 500 }
    );
  });

  test('arbitrary strings as base64 data never throw and are rejected unless valid', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), fc.base64String({ maxLength: 100 })),
        (data) => {
          const result = decodeKinesisRecord(kinesisRecord(data, '2'));
          expect(typeof result.ok).toBe('boolean');
          if (result.ok) {
            expect(decodeBase64Strict(data)).not.toBeNull();
            expect(typeof result.ctr.ContactId).toBe('string');
          } else {
            expect(result.reason.length).toBeGreaterThan(0);
          }
        }
      ),
      { numRuns: 300 }
    );
  });

  test('arbitrary JSON text: ok exactly when it is an object with a non-empty string ContactId', () => {
    const maybeCtr = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(fc.string(), fc.jsonValue()).map((d) => ({ ...d, ContactId: d.ContactId })),
      fc.record({
        ContactId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        Channel: fc.jsonValue()
      })
    );
    fc.assert(
      fc.property(maybeCtr, (value) => {
        const textValue = JSON.stringify(value);
        const result = parseCtrText(textValue);
        expect(result.ok).toBe(isValidCtrJson(textValue));
      }),
      { numRuns: 500 }
    );
  });

  test('round trip: any JSON object with a string ContactId comes back with the fields the relay reads, as JSON.parse gives them', () => {
    const ctrLike = fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s.trim() !== ''),
        fc.dictionary(
          fc
            .oneof(fc.constantFrom(...CTR_FIELDS, 'Recordings', 'Tags'), fc.string())
            .filter((k) => k !== 'ContactId' && k !== '__proto__'),
          fc.oneof(
            fc.jsonValue(),
            fc.dictionary(fc.constantFrom('Name', 'Type', 'Address', 'ARN'), fc.jsonValue())
          )
        )
      )
      .map(([ContactId, rest]) => ({ ...rest, ContactId }));
    fc.assert(
      fc.property(ctrLike, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }), (ctr, seq) => {
        const text = JSON.stringify(ctr);
        const expected = pickedFields(JSON.parse(text) as Record<string, unknown>);
        const result = decodeKinesisRecord(kinesisRecord(b64(text), seq));
        expect(result).toStrictEqual({ ok: true, ctr: expected, sequenceNumber: seq });
      }),
      { numRuns: 300 }
    );
  });

  // The rule decodeBase64Strict implements without a regular expression (the regular expression was too slow).
  const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

  test('strict base64 accepts exactly what the strict rule accepts, whatever the characters', () => {
    // Near-misses Buffer.from would quietly accept: base64url, whitespace, stray or misplaced "=", other ASCII, and
    // characters above U+00FF whose low byte is a base64 letter ("Ł" is U+0141, low byte "A").
    const char = fc.constantFrom(
      ...'AQgw+/9z='.split(''),
      ...'-_ \n\t*.!'.split(''),
      'Ł',
      'é',
      '\u0100',
      '😀'
    );
    const nearBase64 = fc.oneof(
      fc.array(char, { maxLength: 24 }).map((cs) => cs.join('')),
      fc.tuple(fc.uint8Array({ maxLength: 30 }), fc.nat(40), char).map(([bytes, at, c]) => {
        const good = b64(bytes);
        const i = at % (good.length + 1);
        return good.slice(0, i) + c + good.slice(i + 1);
      })
    );
    fc.assert(
      fc.property(nearBase64, (data) => {
        const decoded = decodeBase64Strict(data);
        expect(decoded !== null).toBe(STRICT_BASE64.test(data));
        if (decoded !== null) expect(Buffer.from(decoded)).toEqual(Buffer.from(data, 'base64'));
      }),
      { numRuns: 3000 }
    );
  });

  test.each([
    ['whitespace inside', 'eyJD b250YWN0SWQiOiJhIn0='],
    ['a line break', 'eyJDb250YWN0SWQi\nOiJhIn0='],
    ['three "="', 'eyJh===='],
    ['"=" in the middle', 'ey==eyJh'],
    ['a character whose low byte is a base64 letter', 'eyJhŁŁŁŁ'],
    ['base64url "-" and "_"', 'eyJh-_Jh']
  ])('strict base64 rejects %s', (_case, data) => {
    expect(decodeBase64Strict(data)).toBeNull();
    expect(Buffer.from(data, 'base64').length).toBeGreaterThan(0); // where Buffer alone would decode something
  });

  test('strict base64 agrees with Buffer on every canonical encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(Buffer.from(decodeBase64Strict(b64(bytes)) as Uint8Array)).toEqual(Buffer.from(bytes));
      })
    );
  });
});

describe('reasons never quote the input', () => {
  test.each(['tel:15555550142', 'x tel:+1 555 555 0101 and more text after it', '15555550142 trailing'])(
    'a short invalid record (%p) is reported without its digits',
    (text) => {
      const result = decodeKinesisRecord(kinesisRecord(Buffer.from(text).toString('base64'), '9'));
      expect(result.ok).toBe(false);
      const reason = (result as { reason: string }).reason;
      expect(reason).toMatch(/^not JSON: /);
      expect(reason).not.toMatch(/\d{5}/);
      expect(reason).not.toContain('555');
    }
  );
});

describe('decoding reuses one buffer and never mixes records', () => {
  const ctrOfSize = (id: string, bytes: number): string =>
    JSON.stringify({ ContactId: id, Channel: 'VOICE', Attributes: { note: 'x'.repeat(bytes) } });

  test('records of growing and shrinking size each decode to their own CTR', () => {
    const sizes = [10, 20_000, 100, 70_000, 5, 40_000];
    const decoded = sizes.map((size, i) =>
      decodeKinesisRecord(kinesisRecord(b64(ctrOfSize(`c-${i}`, size)), `${i}`))
    );
    decoded.forEach((result, i) => {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.ctr.ContactId).toBe(`c-${i}`);
      expect((result.ctr.Attributes as { note: string }).note).toHaveLength(sizes[i] as number);
    });
  });

  test('a record one byte short or long after a large one is still judged on its own bytes', () => {
    expect(decodeKinesisRecord(kinesisRecord(b64(ctrOfSize('big', 50_000)), '1')).ok).toBe(true);
    const good = b64(ctrOfSize('small', 3));
    expect(decodeKinesisRecord(kinesisRecord(good.slice(0, -4), '2'))).toMatchObject({ ok: false });
    expect(decodeKinesisRecord(kinesisRecord(`${good}AAAA`, '3'))).toMatchObject({ ok: false });
  });

  test('decodeBase64Strict returns bytes of its own that later calls do not overwrite', () => {
    const first = decodeBase64Strict(b64('first record'));
    decodeBase64Strict(b64('second, longer record'));
    expect(Buffer.from(first as Uint8Array).toString()).toBe('first record');
  });
});

describe('parser reasons keep what went wrong, never the input', () => {
  test.each<[string, string]>([
    ['tel:15555550142', "not JSON: Unexpected token 'e', the input is not valid JSON"],
    ['x'.repeat(60), "not JSON: Unexpected token 'x', the input is not valid JSON"],
    [
      `{"ContactId": "c-1", "n": ${'1'.repeat(40)}x}`,
      expect.stringMatching(/^not JSON: .*the input is not valid JSON|^not JSON: [^"]*$/) as unknown as string
    ],
    ['{"ContactId": ', 'not JSON: Unexpected end of JSON input']
  ])('%p', (input, reason) => {
    expect(parseCtrText(input)).toEqual({ ok: false, reason });
  });

  test('reading a refused text leaves the stack traces of other errors as they were', () => {
    const before = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = 7;
      expect(parseCtrText('{"ContactId": ')).toMatchObject({ ok: false });
      expect(parseCtrText('{"ContactId": "c-1"}')).toMatchObject({ ok: true });
      expect(Error.stackTraceLimit).toBe(7);
      expect(new Error('later').stack).toContain('decode.test');
    } finally {
      Error.stackTraceLimit = before;
    }
  });
});

describe('decodeUtf8Strict', () => {
  const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

  test.each<[string, number[], string | null]>([
    ['a leading byte-order mark is dropped', [0xef, 0xbb, 0xbf, 0x7b, 0x7d], '{}'],
    ['a byte-order mark alone is no text', [0xef, 0xbb, 0xbf], ''],
    ['a character that starts like a mark is kept', [0xef, 0xbf, 0xbd, 0x61], '\uFFFDa'],
    ['only the first of two marks', [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61], '\uFEFFa'],
    ['a mark that is not first is kept', [0x61, 0xef, 0xbb, 0xbf], 'a\uFEFF'],
    ['two bytes of a mark are not one', [0xef, 0xbb, 0x61], null],
    ['an overlong encoding', [0xc0, 0xaf], null],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], null],
    ['a lone continuation byte', [0x80], null],
    ['nothing', [], '']
  ])('%s', (_case, bytes, expected) => {
    expect(decodeUtf8Strict(new Uint8Array(bytes))).toBe(expected);
  });

  test('property: the same text as a fatal TextDecoder, for a Uint8Array or a Buffer view', () => {
    const reference = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.string({ unit: 'grapheme' }).map(utf8)),
        (bytes) => {
          let expected: string | null;
          try {
            expected = reference.decode(bytes);
          } catch {
            expected = null;
          }
          expect(decodeUtf8Strict(bytes)).toBe(expected);
          const padded = Buffer.concat([Buffer.from('xy'), bytes]).subarray(2);
          expect(decodeUtf8Strict(padded)).toBe(expected);
        }
      ),
      { numRuns: 1000 }
    );
  });
});

describe('edges the mutation run found untested', () => {
  const raw = (text: string): KinesisStreamRecord =>
    ({ kinesis: { data: Buffer.from(text).toString('base64'), sequenceNumber: '7' } }) as KinesisStreamRecord;

  test.each([
    ['U+0EFF (E0 BB BF: the last two bytes of a byte-order mark)', '\u0EFF'],
    ['U+FFFF (EF BF BF: the first and last)', '\uFFFF'],
    ['U+FEC0 (EF BB 80: the first two)', '\uFEC0']
  ])('%s before the JSON is not a byte-order mark: the record is not JSON', (_name, first) => {
    const decoded = decodeKinesisRecord(raw(`${first}{"ContactId":"c-bom"}`));
    expect(decoded).toMatchObject({ ok: false, sequenceNumber: '7' });
    expect(!decoded.ok && decoded.reason).toMatch(/^not JSON: /);
    // The real mark is dropped.
    expect(decodeKinesisRecord(raw('\uFEFF{"ContactId":"c-bom"}'))).toMatchObject({ ok: true });
  });

  test.each([null, undefined])('a %s record in an event is reported, not thrown', (record) => {
    expect(decodeKinesisRecord(record as unknown as KinesisStreamRecord)).toEqual({
      ok: false,
      sequenceNumber: '',
      reason: 'not base64: the Kinesis record has no data'
    });
  });

  test('a reason never quotes input with spaces in it', () => {
    const parsed = parseCtrText('call me on 07700 900123 please');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).not.toMatch(/call me|please|900123/);
    expect(!parsed.ok && parsed.reason).toMatch(/^not JSON: .*the input is not valid JSON/);
  });
});
