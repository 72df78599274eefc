/**
 * Privacy helpers. maskPhone and callerKey must give exactly the same results as the Apex CallerIdentity class;
 * the expected values below are the shared examples.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  callerKey,
  isE164,
  isSecretKey,
  maskPhone,
  maskPhonesInText,
  redact,
  redactText,
  REDACTED
} from '../src/mask';

describe('maskPhone: keep a leading "+", star every digit but the last 4', () => {
  test.each<[string | null | undefined, string | null]>([
    ['+15555550142', '+*******0142'],
    ['+447700900123', '+********0123'],
    ['+4930123', '+***0123'],
    ['0142', '0142'],
    ['142', '142'],
    ['', ''],
    ['+1 (555) 555-0142', '+* (***) ***-0142'],
    [null, null],
    [undefined, null]
  ])('%p → %p', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  test('property: same length, at most 4 digits left, all of them the original last 4', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[1-9]\d{1,14}$/), (phone) => {
        const masked = maskPhone(phone) as string;
        expect(masked).toHaveLength(phone.length);
        expect(masked.startsWith('+')).toBe(true);
        const digits = masked.replace(/\D/g, '');
        expect(digits).toBe(phone.replace(/\D/g, '').slice(-4));
      })
    );
  });
});

describe('maskPhonesInText', () => {
  test.each<[string, string]>([
    ['tel:15555550142', 'tel:*******0142'],
    ['call +1 555 555 0101 now', 'call +* *** *** 0101 now'],
    ['(555) 555-0101', '(***) ***-0101'],
    ['555.555.0101 or 555-555-0102', '***.***.0101 or ***-***-0102'],
    ['0044 20 7946 0958', '**** ** **** 0958'],
    ['id=15555550142', 'id=*******0142'],
    ['5555550142,5555550143', '******0142,******0143']
  ])('masks a phone-like run of 8+ digits in any format: %p', (input, masked) => {
    expect(maskPhonesInText(input)).toBe(masked);
  });

  test.each([
    'shardId-000000000000',
    '49590338271490256608559692538361571095921575989136588898',
    '2025-04-31T10:00:00.000Z',
    '12345678-1234-1234-1234-123456789012',
    'arn:aws:connect:us-east-1:123456789012:instance/abc',
    'connect ECONNREFUSED 10.100.200.30:443',
    '003000000000001AAA'
  ])('leaves identifiers, dates and addresses alone: %p', (input) => {
    expect(maskPhonesInText(input)).toBe(input);
  });

  test('property: no run of 5+ digits of an embedded phone survives, in any of its formats', () => {
    const formats = [
      (d: string) => `+${d}`,
      (d: string) => `tel:${d}`,
      (d: string) => `+${d.slice(0, 1)} ${d.slice(1, 4)} ${d.slice(4, 7)} ${d.slice(7)}`,
      (d: string) => `(${d.slice(1, 4)}) ${d.slice(4, 7)}-${d.slice(7)}`,
      (d: string) => `${d.slice(1, 4)}.${d.slice(4, 7)}.${d.slice(7)}`
    ];
    fc.assert(
      fc.property(
        fc.stringMatching(/^[1-9]\d{10}$/),
        fc.constantFrom(...formats),
        fc.string({ maxLength: 10 }).map((s) => s.replace(/[\d+]/g, '')),
        (digits, format, prefix) => {
          const out = maskPhonesInText(`${prefix} ${format(digits)} end`);
          expect(out.replace(/\D/g, '')).toBe(digits.slice(-4));
        }
      )
    );
  });

  test('masks every E.164-looking number in free text', () => {
    expect(maskPhonesInText('call +15555550142 or +447700900123, not 2024-05-14T09:12:03+01:00')).toBe(
      'call +*******0142 or +********0123, not 2024-05-14T09:12:03+01:00'
    );
  });

  test('leaves short "+digit" runs (offsets, counts) alone', () => {
    expect(maskPhonesInText('retry +3 after +123456')).toBe('retry +3 after +123456');
  });

  test.each<[string, string]>([
    ['+1234567', '+***4567'],
    ['tel:+1234567', 'tel:+***4567'],
    ['+123456', '+123456'],
    ['+1000000', '+***0000'],
    ['10000000', '****0000'],
    ['1234567', '1234567'],
    ['12345678', '****5678'],
    ['1 2 3 4 5 6', '1 2 3 4 5 6']
  ])('the shortest runs: 7 digits after "+", else 8 (%p → %p)', (input, masked) => {
    expect(maskPhonesInText(input)).toBe(masked);
  });

  test('masks digit runs longer than E.164 too', () => {
    expect(maskPhonesInText('+1234567890123456789')).toBe('+***************6789');
  });
});

describe('isE164', () => {
  test.each<[unknown, boolean]>([
    ['+15555550142', true],
    ['+1', false],
    ['+1234567', false],
    ['+12345678', true],
    ['+123456789012345', true],
    ['+0123456789', false],
    ['15555550142', false],
    ['+1234567890123456', false],
    ['+1 555 555 0142', false],
    [15555550142, false],
    [{ toString: () => '+15555550142' }, false],
    [null, false]
  ])('%p → %p', (value, expected) => {
    expect(isE164(value)).toBe(expected);
  });
});

describe('callerKey: customer Contact Id, else hashed phone, else Connect contact', () => {
  test('a matched customer Contact Id wins', () => {
    expect(callerKey('0035e00000AbCdEFGH', '+15555550142', 'c-1')).toBe('0035e00000AbCdEFGH');
  });

  test('else "p:" + first 32 lowercase hex of SHA-256 of the E.164 phone', () => {
    const expected = 'p:' + createHash('sha256').update('+15555550142').digest('hex').slice(0, 32);
    expect(callerKey(null, '+15555550142', 'c-1')).toBe(expected);
    // Shared with the Apex tests, so both sides are checked against the same literal.
    expect(callerKey(null, '+15555550142', 'c-1')).toMatch(/^p:[0-9a-f]{32}$/);
    expect(callerKey('', '+15555550142', 'c-1')).toBe(expected);
  });

  test('else "c:" + the Connect contactId', () => {
    expect(callerKey(null, null, '7d1f0c3a-5b2e-4c8d-9a61-0e2b4f6a8c10')).toBe(
      'c:7d1f0c3a-5b2e-4c8d-9a61-0e2b4f6a8c10'
    );
    expect(callerKey(null, '', 'x')).toBe('c:x');
  });

  test('the same phone always gives the same key, different phones different keys', () => {
    expect(callerKey(null, '+15555550142', 'a')).toBe(callerKey(null, '+15555550142', 'b'));
    expect(callerKey(null, '+15555550142', 'a')).not.toBe(callerKey(null, '+15555550143', 'a'));
  });
});

describe('redact (for logs)', () => {
  test.each([
    'accessToken',
    'access_token',
    'refresh_token',
    'client_secret',
    'clientSecret',
    'SF_PRIVATE_KEY',
    'privateKey',
    'password',
    'Authorization',
    'apiKey',
    'x-api-key',
    'key',
    'credentials',
    'Cookie'
  ])('the value under "%s" is redacted', (key) => {
    expect(isSecretKey(key)).toBe(true);
    expect(redact({ [key]: 'hunter2' })).toEqual({ [key]: REDACTED });
  });

  test.each(['contactId', 'callerKey', 'partitionKey', 'sequenceNumber', 'queueName', 'category'])(
    '"%s" is not a secret',
    (key) => {
      expect(isSecretKey(key)).toBe(false);
    }
  );

  test('recurses into objects and arrays, masking phones in every string', () => {
    const input = {
      records: [{ contactId: 'c-1', customerPhone: '+15555550142', nested: { auth: { token: 'abc' } } }],
      note: 'caller +447700900123'
    };
    expect(redact(input)).toEqual({
      records: [{ contactId: 'c-1', customerPhone: '+*******0142', nested: { auth: { token: REDACTED } } }],
      note: 'caller +********0123'
    });
    expect(input.records[0]?.customerPhone).toBe('+15555550142');
  });

  test('bearer tokens and JWTs inside strings are removed', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl';
    expect(redactText(`Authorization: Bearer 00D5e000000abc!AQ0AQ.x_y`)).toBe(
      `Authorization: Bearer ${REDACTED}`
    );
    expect(redactText(`assertion=${jwt}&grant`)).toBe(`assertion=${REDACTED}&grant`);
  });

  test('errors become plain objects with masked message, code and stack', () => {
    const err = Object.assign(new Error('no route to +15555550142'), { code: 'ECONNREFUSED' });
    const out = redact({ err }) as { err: Record<string, unknown> };
    expect(out.err).toMatchObject({
      name: 'Error',
      message: 'no route to +*******0142',
      code: 'ECONNREFUSED'
    });
    expect(typeof out.err.stack).toBe('string');
    expect(JSON.stringify(out)).not.toContain('5555550142');
  });

  test('cycles, dates, bigints, functions and deep nesting are made serialisable', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    const shared = { x: 1 };
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 30; i++) {
      deep.next = {};
      deep = deep.next as Record<string, unknown>;
    }
    const out = redact({
      cyclic,
      twice: [shared, shared],
      at: new Date('2024-05-14T09:17:30Z'),
      bad: new Date('nope'),
      big: 10n,
      fn: () => 1,
      sym: Symbol('s'),
      root
    });
    expect(out).toMatchObject({
      cyclic: { name: 'a', self: '[Circular]' },
      twice: [{ x: 1 }, { x: 1 }],
      at: '2024-05-14T09:17:30.000Z',
      bad: null,
      big: '10'
    });
    expect(out).toHaveProperty('fn', undefined);
    expect(out).toHaveProperty('sym', undefined);
    // The top object is depth 0, root depth 1: levels from 20 on are cut.
    let level = (out as { root: Record<string, unknown> }).root;
    let below = 0;
    while (typeof level.next === 'object') {
      level = level.next as Record<string, unknown>;
      below++;
    }
    expect([below, level.next]).toEqual([18, '[Truncated]']);
    expect(() => JSON.stringify(out)).not.toThrow();
  });

  test('nested arrays are cut at the same depth', () => {
    let nested: unknown[] = ['+15555550142'];
    for (let i = 0; i < 25; i++) nested = [nested];
    const text = JSON.stringify(redact(nested));
    expect(text).toContain('[Truncated]');
    expect(text.split('[').length - 1).toBe(21);
  });

  test('an error without code or stack keeps only what it has', () => {
    const err = new Error('lost +15555550142');
    err.stack = undefined;
    expect(redact(err)).toEqual({ name: 'Error', message: 'lost +*******0142' });
    const withCode = Object.assign(new Error('x'), { code: { errno: '+15555550142' } });
    expect(redact(withCode)).toMatchObject({ code: { errno: '+*******0142' } });
  });

  test('a throwing getter does not break redaction', () => {
    const hostile = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('no');
      }
    });
    expect(redact({ hostile })).toEqual({ hostile: '[Unserializable]' });
  });

  test('primitives pass through', () => {
    expect(redact(5)).toBe(5);
    expect(redact(null)).toBeNull();
    expect(redact(true)).toBe(true);
    expect(redact(undefined)).toBeUndefined();
  });
});
