/**
 * A long `npm start` session stays flat in memory: the org emulator keeps a bounded number of Cases in full and the
 * simulator draws duplicates from a bounded ring of recent drops. (The stream side: kinesis-local.test.ts.)
 */
import { checkOutcome } from '../../local/expectation';
import { CONTRACT_PATH, startOrgEmulator, TOKEN_PATH, type OrgEmulator } from '../../local/org-emulator';
import type { DisconnectRecord, DisconnectResult } from '../../src/types';
import { CtrSimulator, RECENT_DROPS } from '../../local/simulator';
import { CLIENT_ID, disconnectRecord, USERNAME } from '../support/kit';

describe('org emulator maxCases', () => {
  const SECRET = 'memory-bounds-secret';
  let emulator: OrgEmulator;
  let accessToken: string;

  beforeEach(async () => {
    emulator = await startOrgEmulator({
      maxCases: 3,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      username: USERNAME
    });
    const res = await fetch(emulator.url + TOKEN_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: SECRET
      })
    });
    accessToken = ((await res.json()) as { access_token: string }).access_token;
  });
  afterEach(() => emulator.stop());

  const post = async (records: DisconnectRecord[]): Promise<DisconnectResult[]> => {
    const res = await fetch(emulator.url + CONTRACT_PATH, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records })
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { results: DisconnectResult[] }).results;
  };

  test('archives the oldest Cases beyond the limit as contact id, Case Id and version, and counts them', async () => {
    const created = await post(['C-1', 'c-2', 'c-3', 'c-4', 'c-5'].map((id) => disconnectRecord(id)));
    expect([...emulator.cases.keys()]).toEqual(['c-3', 'c-4', 'c-5']);
    // Kept compact (a sequence number and epoch ms), read back as the Case Id and the version's instant.
    expect([...emulator.archived.entries()]).toEqual([
      ['c-1', { id: created[0]?.caseId, lastUpdated: '2024-05-14T09:17:30.000Z' }],
      ['c-2', { id: created[1]?.caseId, lastUpdated: '2024-05-14T09:17:30.000Z' }]
    ]);
    expect([...emulator.archived.values()].map((a) => a.id)).toEqual([
      created[0]?.caseId,
      created[1]?.caseId
    ]);
    expect(emulator.archived.has('c-2') && !emulator.archived.has('c-3')).toBe(true);
    expect(emulator.stats.casesArchived).toBe(2);
    // An update of a Case kept in full archives nothing.
    await post([disconnectRecord('c-4', { lastUpdated: '2024-05-14T10:00:00Z' })]);
    expect(emulator.cases.size).toBe(3);
    expect(emulator.stats.casesArchived).toBe(2);
  });

  test('an archived Case still answers a re-sent CTR: newer updates it, same is unchanged, older is stale', async () => {
    const [first] = await post([disconnectRecord('c-1')]);
    await post(['c-2', 'c-3', 'c-4', 'c-5'].map((id) => disconnectRecord(id)));
    expect([...emulator.archived.keys()]).toEqual(['c-1', 'c-2']);

    const answers = await post([
      disconnectRecord('C-1', { lastUpdated: '2024-05-14T09:20:00Z' }),
      disconnectRecord('c-2', { lastUpdated: '2024-05-14T09:17:30Z' })
    ]);
    expect(answers).toEqual([
      { contactId: 'C-1', outcome: 'updated', caseId: first?.caseId },
      { contactId: 'c-2', outcome: 'unchanged', caseId: emulator.archived.get('c-2')?.id }
    ]);
    expect(emulator.archived.get('c-1')?.lastUpdated).toBe('2024-05-14T09:20:00.000Z');
    const [older] = await post([disconnectRecord('c-1', { lastUpdated: '2024-05-14T09:18:00Z' })]);
    expect(older).toEqual({ contactId: 'c-1', outcome: 'stale', caseId: first?.caseId });
    // No Case was created again: still three in full, two archived.
    expect(emulator.cases.size).toBe(3);
    expect(emulator.archived.size).toBe(2);
    expect(emulator.stats.created).toBe(5);
  });

  test('the end-state check finds archived Cases, and their versions and unexpected ids count', async () => {
    await post(['c-1', 'c-2', 'c-3', 'c-4'].map((id) => disconnectRecord(id)));
    const parked = { expected: 0, actual: 0 };
    const expect4 = ['c-1', 'c-2', 'c-3', 'c-4'].map((contactId) => ({
      contactId,
      lastUpdated: '2024-05-14T09:17:30Z'
    }));
    expect(checkOutcome(expect4, emulator.cases, parked, emulator.archived).met).toBe(true);
    // Without the archive, c-1 would look missing.
    expect(checkOutcome(expect4, emulator.cases, parked).missing).toEqual(['c-1']);
    const newer = [{ contactId: 'c-1', lastUpdated: '2024-05-14T09:30:00Z' }, ...expect4.slice(1, 3)];
    expect(checkOutcome(newer, emulator.cases, parked, emulator.archived)).toMatchObject({
      met: false,
      stale: ['c-1'],
      unexpected: ['c-4']
    });
  });

  test('keeps every Case in full without a limit', async () => {
    const unlimited = await startOrgEmulator();
    try {
      unlimited.seed(Array.from({ length: 20 }, (_, i) => disconnectRecord(`c-${i}`)));
      expect(unlimited.cases.size).toBe(20);
      expect(unlimited.archived.size).toBe(0);
      expect(unlimited.stats.casesArchived).toBe(0);
    } finally {
      await unlimited.stop();
    }
  });
});

describe('simulator recent drops', () => {
  test('duplicates and re-emitted updates refer only to the newest drops, and the expected counts still add up', () => {
    const sim = new CtrSimulator({ seed: 5, now: () => new Date('2026-03-01T12:00:00Z') });
    const order = new Map<string, number>(); // contactId → index among 'case' records
    let cases = 0;
    let absorbed = 0;
    const newest = new Map<string, string>();
    for (const r of sim.take(RECENT_DROPS * 12)) {
      if (r.expect === 'case' || r.expect === 'absorbed')
        newest.set(
          r.contactId as string,
          (JSON.parse(r.data) as { LastUpdateTimestamp: string }).LastUpdateTimestamp
        );
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
    // Each with the newest version sent (re-emissions included), as the CTR wrote it.
    expect(new Map(expectedCases.map((e) => [e.contactId, e.lastUpdated]))).toEqual(newest);
  });
});
