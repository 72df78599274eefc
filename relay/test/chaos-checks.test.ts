/**
 * The chaos harness's end-state check must catch each broken invariant: fed a broken end state, it says so.
 */
import { createHash } from 'node:crypto';
import { checkEndState, type EndState } from '../chaos/checks';
import { buildTraffic } from '../chaos/traffic';
import type { EmulatedCase } from '../local/org-emulator';

const { records, truth } = buildTraffic({
  seed: 3,
  drops: 3,
  versions: 2,
  copies: 1,
  shuffle: true,
  partitionBy: 'random',
  skipped: 1,
  malformed: 2
});

function goodState(): EndState & { cases: Map<string, EmulatedCase>; parked: Record<string, unknown>[] } {
  const cases = new Map<string, EmulatedCase>();
  for (const [id, want] of truth.cases) {
    cases.set(id, { record: { contactId: id, ...want } } as unknown as EmulatedCase);
  }
  const parked = [...truth.parked.keys()].map((payload) => ({
    payload,
    reason: 'not JSON: x',
    code: 'INVALID_INPUT'
  }));
  return {
    cases,
    eventsPerContact: new Map([...cases.keys()].map((id) => [id, 1])),
    created: cases.size,
    parked,
    captured: '{"message":"record parked","reason":"customerPhone +*******0142"}',
    secrets: ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ', '!EMU.']
  };
}

describe('chaos end-state check', () => {
  it('traffic: versions, skipped contacts and malformed records, with their truth', () => {
    expect(records).toHaveLength(3 * 2 + 1 + 2);
    expect(truth.cases.size).toBe(3);
    expect(truth.parked.size).toBe(2);
  });

  it('passes a correct end state', () => {
    expect(checkEndState(truth, goodState()).problems).toEqual([]);
  });

  it('counts a contact without a Case as lost', () => {
    const s = goodState();
    s.cases.delete([...s.cases.keys()][0] as string);
    s.created -= 1;
    expect(checkEndState(truth, s)).toMatchObject({ lost: 1, problems: [expect.stringMatching(/^lost/)] });
  });

  it('counts a Case holding an older version as stale', () => {
    const s = goodState();
    const [id, c] = [...s.cases][0] as [string, EmulatedCase];
    s.cases.set(id, { ...c, record: { ...c.record, queueWaitSeconds: 101 } });
    expect(checkEndState(truth, s)).toMatchObject({ stale: 1 });
  });

  it('counts a second create, a second event or a Case for a skipped contact as duplicated', () => {
    const s = goodState();
    s.created += 2; // one Case created twice, one created for a skipped contact
    (s.eventsPerContact as Map<string, number>).set([...s.cases.keys()][0] as string, 2);
    s.cases.set([...truth.noCase][0] as string, { record: { lastUpdated: 'x' } } as unknown as EmulatedCase);
    expect(checkEndState(truth, s).duplicated).toBe(3);
  });

  it('flags a malformed record parked twice, never, with the wrong reason, or a truncated payload that does not match', () => {
    const twice = goodState();
    twice.parked.push({ ...(twice.parked[0] as object) });
    expect(checkEndState(truth, twice)).toMatchObject({ duplicated: 1 });
    const never = goodState();
    never.parked.pop();
    expect(checkEndState(truth, never)).toMatchObject({ lost: 1 });
    const wrong = goodState();
    (wrong.parked[0] as Record<string, unknown>).reason = 'ContactId missing';
    expect(checkEndState(truth, wrong).problems.join()).toMatch(/parked with reason/);
    const truncated = goodState();
    const full = String(truncated.parked[0]?.payload);
    truncated.parked[0] = {
      payload: 'AAAA',
      payloadTruncated: true,
      payloadSha256: createHash('sha256').update(full).digest('hex'),
      reason: 'not JSON'
    };
    expect(checkEndState(truth, truncated).problems.join()).toMatch(/not a prefix/);
  });

  it('tells a record parked again after a consumer was killed (same sequence number) from a broken invariant', () => {
    const s = goodState();
    s.parked.forEach((m, i) => (m.sequenceNumber = `4959${i}`));
    s.parked.push({ ...(s.parked[0] as object) });
    expect(checkEndState(truth, s)).toMatchObject({
      reparked: 1,
      problems: [expect.stringMatching(/parked twice/)]
    });
    expect(checkEndState(truth, { ...s, allowRepark: true })).toMatchObject({ reparked: 1, problems: [] });
  });

  it('flags a phone number (in any format we sent), a key or a bearer token in the captured output', () => {
    const phone = truth.phones[0] as string;
    for (const leak of [
      phone,
      phone.slice(1),
      phone.slice(2),
      'Bearer 00D000000000001!EMU.abc',
      'BEGIN PRIVATE KEY'
    ]) {
      const s = goodState();
      s.captured += `\n{"message":"${leak}"}`;
      expect(checkEndState(truth, s).problems.length).toBeGreaterThan(0);
    }
  });
});
