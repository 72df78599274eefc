/**
 * A long `npm start` session stays flat in memory: the org emulator keeps a bounded number of Cases and the
 * simulator draws duplicates from a bounded ring of recent drops. (The stream side: kinesis-local.test.ts.)
 */
import { startOrgEmulator } from '../../local/org-emulator';
import { CtrSimulator, RECENT_DROPS } from '../../local/simulator';
import { disconnectRecord } from '../support/kit';

describe('org emulator maxCases', () => {
  test('forgets the oldest Cases beyond the limit and counts them', async () => {
    const emulator = await startOrgEmulator({ maxCases: 3 });
    try {
      emulator.seed(['c-1', 'c-2', 'c-3', 'c-4', 'c-5'].map((id) => disconnectRecord(id)));
      expect([...emulator.cases.keys()]).toEqual(['c-3', 'c-4', 'c-5']);
      expect(emulator.stats.casesEvicted).toBe(2);
      // An update of a kept Case does not evict anything.
      emulator.seed([disconnectRecord('c-4', { lastUpdated: '2024-05-14T10:00:00Z' })]);
      expect(emulator.cases.size).toBe(3);
      expect(emulator.stats.casesEvicted).toBe(2);
    } finally {
      await emulator.stop();
    }
  });

  test('keeps every Case without a limit', async () => {
    const emulator = await startOrgEmulator();
    try {
      emulator.seed(Array.from({ length: 20 }, (_, i) => disconnectRecord(`c-${i}`)));
      expect(emulator.cases.size).toBe(20);
      expect(emulator.stats.casesEvicted).toBe(0);
    } finally {
      await emulator.stop();
    }
  });
});

describe('simulator recent drops', () => {
  test('duplicates and re-emitted updates refer only to the newest drops, and the expected counts still add up', () => {
    const sim = new CtrSimulator({ seed: 5, now: () => new Date('2026-03-01T12:00:00Z') });
    const order = new Map<string, number>(); // contactId → index among 'case' records
    let cases = 0;
    let absorbed = 0;
    for (const r of sim.take(RECENT_DROPS * 12)) {
      if (r.expect === 'case') order.set(r.contactId as string, cases++);
      if (r.expect === 'absorbed') {
        absorbed++;
        const index = order.get(r.contactId as string) as number;
        expect(cases - index).toBeLessThanOrEqual(RECENT_DROPS);
      }
    }
    expect(cases).toBeGreaterThan(RECENT_DROPS * 2);
    expect(sim.expected()).toMatchObject({ cases, absorbed, records: RECENT_DROPS * 12 });
    // The end-state check still knows every dropped contact, not only the recent ones.
    const expectedCases = sim.expectedCases();
    expect(expectedCases).toHaveLength(cases);
    expect(new Set(expectedCases.map((e) => e.contactId))).toEqual(new Set(order.keys()));
  });
});
