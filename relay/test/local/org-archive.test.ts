import { ArchivedCases } from '../../local/org/archive';
import { caseIdOf, caseSeqOf } from '../../local/org/state';

describe('ArchivedCases', () => {
  const archive = (): ArchivedCases => {
    const a = new ArchivedCases({ idOf: caseIdOf, seqOf: caseSeqOf });
    a.archive('c-1', caseIdOf(7), '2024-05-14T09:17:30Z');
    a.archive('c-2', caseIdOf(123456), '2024-05-14T09:18:00.250Z');
    return a;
  };

  test('gives back each Case Id and version instant, in archiving order, however it is read', () => {
    const a = archive();
    const want: [string, { id: string; lastUpdated: string }][] = [
      ['c-1', { id: '500000000000007AAA', lastUpdated: '2024-05-14T09:17:30.000Z' }],
      ['c-2', { id: '500000000123456AAA', lastUpdated: '2024-05-14T09:18:00.250Z' }]
    ];
    expect(a.size).toBe(2);
    expect([...a]).toEqual(want);
    expect([...a.entries()]).toEqual(want);
    expect([...a.keys()]).toEqual(['c-1', 'c-2']);
    expect([...a.values()]).toEqual(want.map(([, v]) => v));
    const seen: [string, unknown][] = [];
    a.forEach((value, key, map) => {
      seen.push([key, value]);
      expect(map).toBe(a);
    });
    expect(seen).toEqual(want);
    expect(a.get('c-3')).toBeUndefined();
    expect(a.has('c-1')).toBe(true);
    expect(a.has('c-3')).toBe(false);
  });

  test('a newer version replaces only that Case’s version; an unknown contact is an error', () => {
    const a = archive();
    a.update('c-2', '2024-05-14T10:00:00Z');
    expect(a.get('c-2')).toEqual({ id: '500000000123456AAA', lastUpdated: '2024-05-14T10:00:00.000Z' });
    expect(a.get('c-1')?.lastUpdated).toBe('2024-05-14T09:17:30.000Z');
    expect(() => a.update('c-9', '2024-05-14T10:00:00Z')).toThrow('not archived: c-9');
  });

  test('Case Ids and their sequence numbers convert both ways', () => {
    for (const seq of [1, 42, 999_999_999_999]) expect(caseSeqOf(caseIdOf(seq))).toBe(seq);
    expect(caseIdOf(5)).toMatch(/^500\d{12}AAA$/);
  });
});
