import type { EmulatedCase } from '../../local/org-emulator';
import { checkOutcome } from '../../local/expectation';

const caseHolding = (contactId: string, lastUpdated: string): EmulatedCase =>
  ({ record: { contactId, lastUpdated } }) as unknown as EmulatedCase;

describe('the local stack expectation: contact by contact, version by version', () => {
  const expected = [
    { contactId: 'AAA', lastUpdated: '2026-11-02T09:05:00Z' },
    { contactId: 'bbb', lastUpdated: '2026-11-02T09:06:00Z' }
  ];
  const parked = { expected: 2, actual: 2 };

  it('is met when every dropped contact has a Case holding its newest version (ids compared case-insensitively)', () => {
    const cases = new Map([
      ['aaa', caseHolding('AAA', '2026-11-02T09:05:00Z')],
      ['bbb', caseHolding('bbb', '2026-11-02T09:06:00.000Z')]
    ]);
    expect(checkOutcome(expected, cases, parked)).toEqual({
      met: true,
      missing: [],
      stale: [],
      unexpected: [],
      parked
    });
  });

  it('is not met by the right number of Cases for the wrong contacts, or by an older version', () => {
    const cases = new Map([
      ['aaa', caseHolding('AAA', '2026-11-02T09:04:00Z')],
      ['ccc', caseHolding('ccc', '2026-11-02T09:06:00Z')]
    ]);
    expect(checkOutcome(expected, cases, parked)).toEqual({
      met: false,
      missing: ['bbb'],
      stale: ['aaa'],
      unexpected: ['ccc'],
      parked
    });
  });

  it('is not met when the parked count differs', () => {
    const cases = new Map([
      ['aaa', caseHolding('AAA', '2026-11-02T09:05:00Z')],
      ['bbb', caseHolding('bbb', '2026-11-02T09:06:00Z')]
    ]);
    expect(checkOutcome(expected, cases, { expected: 2, actual: 1 }).met).toBe(false);
  });
});
