import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { classify } from '../../src/classify';
import { parseCtrText } from '../../src/decode';
import { DEFAULT_POLICY } from '../../src/policy';
import { CtrSimulator, putRecords, seededRandom } from '../../local/simulator';

const fixedNow = (): Date => new Date('2026-03-01T12:00:00Z');

describe('CtrSimulator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new CtrSimulator({ seed: 9, now: fixedNow }).take(50).map((r) => r.data);
    const b = new CtrSimulator({ seed: 9, now: fixedNow }).take(50).map((r) => r.data);
    const c = new CtrSimulator({ seed: 10, now: fixedNow }).take(50).map((r) => r.data);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(seededRandom(1)()).toBe(seededRandom(1)());
  });

  it.each([1, 7, 42, 2024, 31337])('knows what the relay will do with each record (seed %i)', (seed) => {
    const sim = new CtrSimulator({ seed, now: fixedNow });
    const records = sim.take(300);
    const forwarded = new Set<string>();
    for (const r of records) {
      const parsed = parseCtrText(r.data);
      if (r.expect === 'park') {
        expect(parsed.ok).toBe(false);
        continue;
      }
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) continue;
      const verdict = classify(parsed.ctr, DEFAULT_POLICY);
      const action = { case: 'callback', absorbed: 'callback', resolve: 'resolve', skip: 'skip' }[r.expect];
      expect({ kind: r.kind, action: verdict.action }).toEqual({ kind: r.kind, action });
      expect(r.partitionKey).toBe(parsed.ctr.ContactId);
      if (r.expect === 'case') {
        expect(forwarded.has(r.contactId as string)).toBe(false);
        forwarded.add(r.contactId as string);
      }
      if (r.expect === 'absorbed') expect(forwarded.has(r.contactId as string)).toBe(true);
    }
    const expected = sim.expected();
    expect(expected.cases).toBe(forwarded.size);
    expect(expected.records).toBe(300);
    expect(expected.cases + expected.absorbed + expected.skipped + expected.resolved + expected.parked).toBe(
      300
    );
    // Every kind of traffic shows up in a run of this size.
    expect(Object.keys(expected.byKind).sort()).toEqual(
      [
        'abandoned-chat',
        'abandoned-in-queue',
        'agent-handled',
        'duplicate',
        'ivr-drop',
        'malformed',
        'outbound',
        're-emitted',
        'self-service',
        'transferred'
      ].sort()
    );
  });

  it('with lifecycle on, also makes agent telecom drops, unreached queued callbacks and callers getting through later', () => {
    const sim = new CtrSimulator({ seed: 11, now: fixedNow, lifecycle: true });
    const records = sim.take(400);
    const verdicts = records.flatMap((r) => {
      const parsed = parseCtrText(r.data);
      return parsed.ok ? [{ r, ctr: parsed.ctr, verdict: classify(parsed.ctr, DEFAULT_POLICY) }] : [];
    });
    const categories = new Set(verdicts.map((v) => v.verdict.category));
    expect([...categories]).toEqual(
      expect.arrayContaining(['AGENT_DROPPED_TELECOM', 'CALLBACK_NOT_CONNECTED'])
    );
    const drops = verdicts.filter((v) => v.verdict.action === 'callback');
    const gotThrough = verdicts.filter((v) => v.r.kind === 'got-through');
    expect(gotThrough.length).toBeGreaterThan(0);
    for (const g of gotThrough) {
      expect(g.verdict.action).toBe('resolve');
      // It follows an earlier drop of the same caller, so it has something to close.
      const phone = g.ctr.CustomerEndpoint?.Address;
      const started = Date.parse(String(g.ctr.InitiationTimestamp));
      expect(
        drops.some(
          (d) =>
            d.ctr.CustomerEndpoint?.Address === phone &&
            Date.parse(String(d.ctr.DisconnectTimestamp)) < started
        )
      ).toBe(true);
    }
    // The default keeps generating exactly what it did before (the demo-mix fixture depends on it).
    const plain = new CtrSimulator({ seed: 11, now: fixedNow }).take(400);
    expect(
      plain.some((r) => ['got-through', 'agent-dropped-telecom', 'callback-not-connected'].includes(r.kind))
    ).toBe(false);
  });

  it('re-emits a contact with a later LastUpdateTimestamp', () => {
    const sim = new CtrSimulator({ seed: 5, now: fixedNow });
    const records = sim.take(400);
    const byContact = new Map<string, string[]>();
    for (const r of records.filter((x) => x.expect === 'case' || x.expect === 'absorbed')) {
      const ctr = JSON.parse(r.data) as { ContactId: string; LastUpdateTimestamp: string };
      byContact.set(ctr.ContactId, [...(byContact.get(ctr.ContactId) ?? []), ctr.LastUpdateTimestamp]);
    }
    const updates = records.filter((r) => r.kind === 're-emitted');
    expect(updates.length).toBeGreaterThan(0);
    for (const u of updates) {
      const times = byContact.get(u.contactId as string) ?? [];
      expect(times.length).toBeGreaterThan(1);
      expect(Math.max(...times.map(Date.parse))).toBeGreaterThan(Math.min(...times.map(Date.parse)));
    }
  });
});

describe('putRecords', () => {
  it('sends chunks of at most 500 and retries the entries Kinesis reports as failed', async () => {
    const calls: number[] = [];
    let throttleOnce = true;
    const client = {
      send: async (command: { input: { Records: unknown[] } }) => {
        const n = command.input.Records.length;
        calls.push(n);
        const failFirst = throttleOnce;
        throttleOnce = false;
        return {
          Records: Array.from({ length: n }, (_, i) =>
            failFirst && i < 3
              ? { ErrorCode: 'ProvisionedThroughputExceededException' }
              : { SequenceNumber: `${i}` }
          )
        };
      }
    } as unknown as KinesisClient;
    const records = Array.from({ length: 1203 }, (_, i) => ({ data: `r${i}`, partitionKey: `k${i}` }));
    expect(await putRecords(client, 's', records)).toBe(1203);
    expect(calls).toEqual([500, 3, 500, 203]);
  });
});
