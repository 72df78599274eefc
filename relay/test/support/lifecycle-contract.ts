/**
 * Reading and checking the "lifecycle" part of ConnectDisconnectContract.json against the org emulator: the shapes
 * of its examples, the org it describes (clock, settings, users, Contacts, Cases in a given state) built inside an
 * emulator, and a matcher that understands the contract's placeholders ($case:REF, $contact:REF, $user:ACTOR, $any,
 * $prev:FIELD) and its comparison rules (keys shown must match, a null shown may be absent, timestamps as instants).
 */
import { callerKey } from '../../src/mask';
import type {
  CallbackChangeEvent,
  EmulatedCase,
  EmulatedCustomer,
  EmulatedUser,
  OrgEmulator
} from '../../local/org-emulator';

export interface ContractActor {
  firstName: string;
  lastName: string;
  permissionSets: string[];
  queueMember: boolean;
}

export interface ContractContact {
  ref: string;
  firstName: string;
  lastName: string;
  phone: string;
  doNotCall?: boolean;
}

export interface GivenCase {
  ref: string;
  record: Record<string, unknown> & { contactId: string; lastUpdated: string };
  customer: string | null;
  state: Record<string, unknown>;
}

export interface ThenBlock {
  cases?: (Record<string, unknown> & { ref?: string; contactId?: string; absent?: boolean })[];
  tasks?: Record<string, unknown>[];
  events?: Record<string, unknown>[];
}

export interface ApexCall {
  actor: string;
  method: string;
  params: Record<string, unknown>;
  response?: unknown;
  error?: { code: string };
}

export interface LifecycleExample {
  name: string;
  description: string;
  given: { contacts: ContractContact[]; cases: GivenCase[] };
  calls: ApexCall[];
  then?: ThenBlock;
}

export interface IntakeExample {
  name: string;
  description: string;
  givenContacts?: ContractContact[];
  given: Record<string, unknown>[];
  request: { records: Record<string, unknown>[] };
  status: number;
  response: unknown;
  then?: ThenBlock;
}

export interface LifecycleContract {
  now: string;
  settings: { claimTimeoutMinutes: number; maxAttempts: number; dueMinutes: Record<string, number> };
  actors: Record<string, ContractActor>;
  recordFields: Record<string, string>;
  errorCodes: string[];
  methods: Record<string, { params: string[]; cacheable: boolean; returns: string }>;
  intakeExamples: IntakeExample[];
  examples: LifecycleExample[];
}

/** The contract's actors as emulated users (Callback_Agent permission set = may use the worklist Apex). */
export function usersOf(contract: LifecycleContract): Record<string, EmulatedUser> {
  return Object.fromEntries(
    Object.entries(contract.actors).map(([actor, a], i) => [
      actor,
      {
        id: `005${String(i + 1).padStart(12, '0')}AAA`,
        name: `${a.firstName} ${a.lastName}`,
        callbackAgent: a.permissionSets.includes('Callback_Agent')
      }
    ])
  );
}

/** The Ids a contract example refers to by placeholder. */
export class Refs {
  readonly cases = new Map<string, EmulatedCase>();
  readonly contacts = new Map<string, EmulatedCustomer>();
  prev: unknown = null;

  constructor(readonly emu: OrgEmulator) {}

  addContacts(contacts: ContractContact[] = []): void {
    contacts.forEach((c, i) => {
      const customer: EmulatedCustomer = {
        contactId: `003${String(900 + i).padStart(12, '0')}AAA`,
        accountId: `001${String(900 + i).padStart(12, '0')}AAA`,
        name: `${c.firstName} ${c.lastName}`,
        phone: c.phone,
        doNotCall: c.doNotCall === true
      };
      this.contacts.set(c.ref, customer);
      this.emu.addCustomer(customer);
    });
  }

  /** A given Case: intake record (unshown fields null), linked customer, then the state it is in. */
  addCase(given: GivenCase): void {
    const record = {
      initiatedAt: null,
      disconnectedAt: null,
      channel: null,
      initiationMethod: null,
      disconnectReason: null,
      category: null,
      customerPhone: null,
      queueName: null,
      queueWaitSeconds: null,
      previousContactId: null,
      instanceArn: null,
      attributes: {},
      ...given.record
    };
    const customer = given.customer === null ? null : (this.contacts.get(given.customer) ?? null);
    const phone = (record.customerPhone as string | null) ?? null;
    const s = given.state;
    const user = (actor: unknown): EmulatedUser | null =>
      typeof actor === 'string' ? (this.emu.users[actor] ?? null) : null;
    const state: Partial<EmulatedCase> = {
      customer,
      callerKey: callerKey(customer?.contactId ?? null, phone, given.record.contactId),
      doNotCall: s.doNotCall === true || customer?.doNotCall === true
    };
    const copy = <K extends keyof EmulatedCase>(key: K, from: string): void => {
      if (s[from] !== undefined) state[key] = s[from] as EmulatedCase[K];
    };
    copy('status', 'status');
    copy('attempts', 'attempts');
    copy('dueBy', 'dueBy');
    copy('claimedUntil', 'claimedUntil');
    copy('lastCallbackAt', 'lastAttemptAt');
    copy('nextAttemptAt', 'nextAttemptAt');
    copy('firstAttemptAt', 'firstAttemptAt');
    copy('phoneSource', 'phoneSource');
    copy('isClosed', 'closed');
    copy('callbackOutcome', 'callbackOutcome');
    copy('closedAt', 'closedAt');
    if (s.claimedBy !== undefined) state.claimedBy = user(s.claimedBy);
    this.cases.set(given.ref, this.emu.seedCase(record, state));
  }

  /** Intake examples name Cases by contactId. */
  caseByContactId(contactId: string): EmulatedCase | undefined {
    return this.emu.cases.get(contactId.toLowerCase());
  }

  resolve(value: string): unknown {
    const [kind, ref] = [value.slice(0, value.indexOf(':') + 1), value.slice(value.indexOf(':') + 1)];
    switch (kind) {
      case '$case:':
        return (this.cases.get(ref) ?? this.caseByContactId(ref))?.id ?? `<no case ${ref}>`;
      case '$contact:':
        return this.contacts.get(ref)?.contactId ?? `<no contact ${ref}>`;
      case '$user:':
        return this.emu.users[ref]?.id ?? `<no user ${ref}>`;
      case '$prev:':
        return (this.prev as Record<string, unknown> | null)?.[ref];
      default:
        return value;
    }
  }

  /** Parameters with placeholders replaced; requestJson objects sent as JSON strings (null stays null). */
  params(params: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(params).map(([k, v]) => {
        const value = this.substitute(v);
        return [k, k === 'requestJson' && value !== null ? JSON.stringify(value) : value];
      })
    );
  }

  private substitute(v: unknown): unknown {
    if (typeof v === 'string' && v.startsWith('$') && v !== '$any') return this.resolve(v);
    if (Array.isArray(v)) return v.map((x) => this.substitute(x));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.substitute(x)]));
    }
    return v;
  }

  /** Differences between what the contract shows and what came back (empty = it matches). */
  diff(expected: unknown, actual: unknown, path = '$'): string[] {
    if (expected === '$any') return actual === null || actual === undefined ? [`${path}: missing`] : [];
    if (typeof expected === 'string' && expected.startsWith('$')) {
      return this.diff(this.resolve(expected), actual, path);
    }
    if (expected === null)
      return actual === null || actual === undefined ? [] : [`${path}: ${show(actual)} ≠ null`];
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual)) return [`${path}: ${show(actual)} is not an array`];
      if (actual.length !== expected.length) {
        return [`${path}: ${actual.length} items ≠ ${expected.length} (${show(actual)})`];
      }
      return expected.flatMap((e, i) => this.diff(e, actual[i], `${path}[${i}]`));
    }
    if (typeof expected === 'object') {
      if (actual === null || typeof actual !== 'object') return [`${path}: ${show(actual)} is not an object`];
      return Object.entries(expected as Record<string, unknown>).flatMap(([k, e]) =>
        this.diff(e, (actual as Record<string, unknown>)[k], `${path}.${k}`)
      );
    }
    if (typeof expected === 'string' && typeof actual === 'string' && isTimestamp(expected)) {
      return Date.parse(expected) === Date.parse(actual) ? [] : [`${path}: ${actual} ≠ ${expected}`];
    }
    return expected === actual ? [] : [`${path}: ${show(actual)} ≠ ${show(expected)}`];
  }

  /** A Case in the contract's `then.cases` vocabulary. */
  caseState(c: EmulatedCase): Record<string, unknown> {
    const actorOf = (u: EmulatedUser | null): string | null =>
      u === null ? null : (Object.entries(this.emu.users).find(([, x]) => x.id === u.id)?.[0] ?? u.id);
    return {
      status: c.status,
      closed: c.isClosed,
      attempts: c.attempts,
      claimedBy: actorOf(c.claimedBy),
      claimedUntil: c.claimedUntil,
      nextAttemptAt: c.nextAttemptAt,
      dueBy: c.dueBy,
      firstAttemptAt: c.firstAttemptAt,
      lastAttemptAt: c.lastCallbackAt,
      closedAt: c.closedAt,
      callbackOutcome: c.callbackOutcome,
      lastDisposition: c.lastDisposition,
      resolvedByContactId: c.resolvedByContactId,
      phoneSource: c.phoneSource,
      doNotCall: c.doNotCall,
      customerContactId: c.customer?.contactId ?? null,
      owner: 'queue'
    };
  }

  /** Checks `then`: Case states, the Tasks on the given Cases, the Callback_Change__e published. */
  thenDiff(then: ThenBlock | undefined, events: CallbackChangeEvent[]): string[] {
    if (!then) return [];
    const out: string[] = [];
    for (const want of then.cases ?? []) {
      const { ref, contactId, absent, ...fields } = want;
      const c = ref !== undefined ? this.cases.get(ref) : this.caseByContactId(contactId as string);
      const name = `case ${ref ?? contactId}`;
      if (absent) {
        if (c) out.push(`${name}: exists but should not`);
        continue;
      }
      if (!c) out.push(`${name}: missing`);
      else out.push(...this.diff(fields, this.caseState(c), name));
    }
    if (then.tasks) {
      const tasks = [...this.emu.cases.values()].flatMap((c) => c.tasks);
      out.push(...this.diff(then.tasks, tasks, 'tasks'));
    }
    if (then.events) out.push(...this.diff(then.events, events.map(changeOf), 'events'));
    return out;
  }
}

/** Callback_Change__e in the contract's `then.events` vocabulary. */
export function changeOf(e: CallbackChangeEvent): Record<string, unknown> {
  return {
    changeType: e.Change_Type__c,
    callerKey: e.Caller_Key__c,
    caseIds: e.Case_Ids__c === '' ? [] : e.Case_Ids__c.split(','),
    claimedById: e.Claimed_By_Id__c,
    claimedByName: e.Claimed_By_Name__c,
    claimedUntil: e.Claimed_Until__c,
    disposition: e.Disposition__c,
    closed: e.Closed__c,
    nextAttemptAt: e.Next_Attempt_At__c
  };
}

function isTimestamp(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s);
}

function show(v: unknown): string {
  const text = JSON.stringify(v);
  return text === undefined ? 'undefined' : text.length > 200 ? text.slice(0, 197) + '...' : text;
}
