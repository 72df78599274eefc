/**
 * The end state, record by record: every expected drop has exactly one Case holding its newest version, nothing
 * else has a Case, every malformed record is parked exactly as often as it was put and with its reason, and the
 * captured logs and parked messages hold no phone number, token or key.
 */
import { createHash } from 'node:crypto';
import type { EmulatedCase } from '../local/org-emulator';
import type { Truth } from './traffic';

export interface EndState {
  cases: ReadonlyMap<string, EmulatedCase>;
  /** Disconnected_Call__e events published, per lower-case ContactId. */
  eventsPerContact: ReadonlyMap<string, number>;
  /** Cases created according to the emulator. */
  created: number;
  /** Dead-letter messages. */
  parked: readonly Record<string, unknown>[];
  /** Every log line and parked message as text. */
  captured: string;
  /** Secrets that must not appear anywhere captured (private key, access tokens, client secret). */
  secrets: readonly string[];
  /** A consumer was killed: the same record parked again after the restart is expected (see Verdict.reparked). */
  allowRepark?: boolean;
}

export interface Verdict {
  lost: number;
  duplicated: number;
  stale: number;
  /** Distinct records parked. */
  parked: number;
  /**
   * The same Kinesis record (sequence number) parked again: possible only when a consumer dies between parking and
   * checkpointing (at-least-once); expected in the kill scenario, a broken invariant anywhere else.
   */
  reparked: number;
  /** Human-readable problems (empty = every invariant holds). */
  problems: string[];
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

function checkCases(truth: Truth, s: EndState, v: Verdict): void {
  for (const [id, want] of truth.cases) {
    const c = s.cases.get(id);
    if (!c) {
      v.lost += 1;
      if (v.problems.length < 20) v.problems.push(`lost: no Case for ${id}`);
    } else if (
      c.record.lastUpdated !== want.lastUpdated ||
      c.record.queueWaitSeconds !== want.queueWaitSeconds
    ) {
      v.stale += 1;
      if (v.problems.length < 20)
        v.problems.push(
          `stale: ${id} holds ${c.record.lastUpdated}/${c.record.queueWaitSeconds}, want ${want.lastUpdated}/${want.queueWaitSeconds}`
        );
    }
  }
  for (const id of s.cases.keys()) {
    if (!truth.cases.has(id)) {
      v.duplicated += 1;
      v.problems.push(`unexpected Case for ${id}${truth.noCase.has(id) ? ' (must not become a Case)' : ''}`);
    }
  }
  const extraCreates = s.created - s.cases.size;
  if (extraCreates > 0) {
    v.duplicated += extraCreates;
    v.problems.push(`${extraCreates} Case(s) created twice`);
  }
  for (const [id, n] of s.eventsPerContact) {
    if (n > 1) {
      v.duplicated += n - 1;
      v.problems.push(`${n} Disconnected_Call__e events for ${id}`);
    }
  }
}

function checkParked(truth: Truth, s: EndState, v: Verdict): void {
  const byHash = new Map(
    [...truth.parked].map(([payload, want]) => [sha(payload), { payload, ...want, seen: 0 }])
  );
  const seenSequence = new Set<string>();
  for (const m of s.parked) {
    const seq = String(m.sequenceNumber ?? '');
    if (seq !== '' && seenSequence.has(seq)) {
      v.reparked += 1;
      if (!s.allowRepark) v.problems.push(`record …${seq.slice(-8)} parked twice`);
      continue;
    }
    seenSequence.add(seq);
    const payload = String(m.payload ?? '');
    const key = m.payloadTruncated === true ? String(m.payloadSha256) : sha(payload);
    const want = byHash.get(key);
    v.parked += 1;
    if (!want) {
      v.problems.push(`parked but not expected: ${String(m.code)} ${String(m.reason).slice(0, 80)}`);
      continue;
    }
    want.seen += 1;
    if (!want.reason.test(String(m.reason)))
      v.problems.push(`parked with reason "${String(m.reason)}", want ${want.reason}`);
    if (m.payloadTruncated === true && !want.payload.startsWith(payload))
      v.problems.push('truncated payload is not a prefix');
  }
  for (const want of byHash.values()) {
    if (want.seen < want.times) {
      v.lost += want.times - want.seen;
      v.problems.push(
        `malformed record parked ${want.seen}x, put ${want.times}x: ${want.payload.slice(0, 24)}…`
      );
    } else if (want.seen > want.times) {
      v.duplicated += want.seen - want.times;
      v.problems.push(`malformed record parked ${want.seen}x, put ${want.times}x (parked twice)`);
    }
  }
}

function checkLeaks(truth: Truth, s: EndState, v: Verdict): void {
  const text = s.captured;
  for (const phone of new Set(truth.phones)) {
    const digits = phone.replace(/\D/g, '');
    for (const form of [phone, digits, digits.slice(1)]) {
      if (form.length >= 8 && text.includes(form)) {
        v.problems.push(`a phone number reached the logs/parked messages: …${form.slice(-4)}`);
        return;
      }
    }
  }
  for (const secret of s.secrets) {
    if (secret.length >= 8 && text.includes(secret)) v.problems.push('a secret (token/key) reached the logs');
  }
  if (/PRIVATE KEY|Bearer (?!\[REDACTED\])[^\s"]{8,}/.test(text))
    v.problems.push('a key or bearer token reached the logs');
}

export function checkEndState(truth: Truth, s: EndState): Verdict {
  const v: Verdict = { lost: 0, duplicated: 0, stale: 0, parked: 0, reparked: 0, problems: [] };
  checkCases(truth, s, v);
  checkParked(truth, s, v);
  checkLeaks(truth, s, v);
  return v;
}
