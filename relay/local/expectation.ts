/**
 * The local stack's end-state check, contact by contact (not counts): every dropped contact the simulator sent has
 * exactly one Case, holding the newest version it sent; no other contact has one; the malformed records are parked.
 * Counts alone raise false alarms (a response lost after the org applied it makes the relay re-send: one more
 * "unchanged") and miss real faults (a stale Case counts like a fresh one).
 */
import type { ArchivedCase, EmulatedCase } from './org-emulator';

export interface ExpectedCase {
  contactId: string;
  lastUpdated: string;
}

export interface OutcomeCheck {
  met: boolean;
  /** Dropped contacts without a Case. */
  missing: string[];
  /** Contacts whose Case holds an older version than the newest sent. */
  stale: string[];
  /** Cases for contacts that were not expected to become Cases. */
  unexpected: string[];
  parked: { expected: number; actual: number };
}

const FIRST = 10;

/**
 * `cases` are the Cases the org keeps in full, `archived` the ones it keeps as id and version only (maxCases); a
 * contact counts wherever its Case is.
 */
export function checkOutcome(
  expected: readonly ExpectedCase[],
  cases: ReadonlyMap<string, EmulatedCase>,
  parked: { expected: number; actual: number },
  archived: ReadonlyMap<string, ArchivedCase> = new Map()
): OutcomeCheck {
  const want = new Map(expected.map((e) => [e.contactId.toLowerCase(), e.lastUpdated]));
  const missing: string[] = [];
  const stale: string[] = [];
  for (const [id, lastUpdated] of want) {
    const stored = cases.get(id)?.record.lastUpdated ?? archived.get(id)?.lastUpdated;
    if (stored === undefined) missing.push(id);
    else if (Date.parse(stored) !== Date.parse(lastUpdated)) stale.push(id);
  }
  const unexpected = [...cases.keys(), ...archived.keys()].filter((id) => !want.has(id));
  return {
    met: missing.length + stale.length + unexpected.length === 0 && parked.actual === parked.expected,
    missing: missing.slice(0, FIRST),
    stale: stale.slice(0, FIRST),
    unexpected: unexpected.slice(0, FIRST),
    parked
  };
}
