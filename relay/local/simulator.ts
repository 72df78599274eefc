/**
 * Realistic, deterministic contact-record traffic for the local stack: agent-handled, self-service, transferred,
 * outbound, abandoned (voice and chat), IVR drops, exact duplicates, re-emitted updates and a few malformed
 * records. The simulator knows what each record should lead to, so `npm start` and the e2e test can check the
 * outcome (one Case per dropped contact, duplicates absorbed, malformed records parked).
 */
import type { StreamRecord } from './kinesis-put';

export { putRecords, type StreamRecord } from './kinesis-put';

export type SimKind =
  | 'agent-handled'
  | 'self-service'
  | 'transferred'
  | 'outbound'
  | 'abandoned-in-queue'
  | 'abandoned-chat'
  | 'ivr-drop'
  | 'agent-dropped-telecom'
  | 'callback-not-connected'
  | 'got-through'
  | 'duplicate'
  | 're-emitted'
  | 'malformed';

/**
 * What the pipeline should do with a record: a new Case, nothing (skip), close the caller's older open callbacks
 * (resolve: the customer got through), fold into an existing Case (absorbed), or park it.
 */
export type SimExpectation = 'case' | 'skip' | 'resolve' | 'absorbed' | 'park';

export interface SimRecord extends StreamRecord {
  kind: SimKind;
  contactId: string | null;
  expect: SimExpectation;
}

export interface SimExpected {
  records: number;
  /** Distinct contacts that must end up as exactly one Case each. */
  cases: number;
  /** Copies of already-forwarded contacts (identical or newer): updated/unchanged/de-duplicated, never new Cases. */
  absorbed: number;
  skipped: number;
  /** Contacts that got through, sent to close the caller's open callbacks (whether or not there were any). */
  resolved: number;
  parked: number;
  byKind: Partial<Record<SimKind, number>>;
}

export interface SimulatorOptions {
  seed?: number;
  /**
   * Also generate the callback lifecycle's traffic: calls that reached an agent and dropped on a telecom problem,
   * queued callbacks whose customer was never reached, and callers who got through after an earlier drop. Off by
   * default so a seed keeps generating the same records (the demo-mix fixture).
   */
  lifecycle?: boolean;
  /** Clock for the CTR timestamps (fixed for reproducible files, real time for live traffic). */
  now?: () => Date;
}

const WEIGHTS: [SimKind, number][] = [
  ['agent-handled', 34],
  ['self-service', 9],
  ['transferred', 7],
  ['outbound', 4],
  ['abandoned-in-queue', 16],
  ['abandoned-chat', 5],
  ['ivr-drop', 9],
  ['duplicate', 6],
  ['re-emitted', 6],
  ['malformed', 4]
];
const LIFECYCLE_WEIGHTS: [SimKind, number][] = [
  ['agent-dropped-telecom', 3],
  ['callback-not-connected', 2],
  ['got-through', 6]
];

/** How many recent drops duplicates and re-emitted updates are drawn from. */
export const RECENT_DROPS = 1000;
const QUEUES = ['BasicQueue', 'Billing', 'TechSupport', 'Sales'];
const INSTANCE = 'arn:aws:connect:us-east-1:111122223333:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const IVR_REASONS = ['TELECOM_PROBLEM', 'CUSTOMER_DISCONNECT', 'CONTACT_FLOW_DISCONNECT', null];
const MALFORMED = [
  (r: () => number) => `{"ContactId": "${uuid(r)}", "Channel": "VOICE", `, // truncated JSON
  () => 'CTR export failed: upstream timeout', // not JSON at all
  (r: () => number) => JSON.stringify({ contactId: uuid(r), note: 'wrong field name casing' }), // no ContactId
  () => JSON.stringify(['an', 'array'])
];

function hasPhone(ctr: Record<string, unknown>): boolean {
  return ctr.CustomerEndpoint !== null && ctr.CustomerEndpoint !== undefined;
}

/** mulberry32: tiny, fast, good enough for simulation and reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(r: () => number): string {
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(r() * 4)]}${hex(3)}-${hex(12)}`;
}

const iso = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

const epochSeconds = (timestamp: unknown): number => Date.parse(String(timestamp)) / 1000;

/** A new contact being built: its CTR, its times (ms) and durations (s), and a queue entry maker. */
interface Contact {
  ctr: Record<string, unknown>;
  disconnect: number;
  initiation: number;
  ivrSeconds: number;
  queueSeconds: number;
  talkSeconds: number;
  queue(enqueue: number, dequeue: number): Record<string, unknown>;
}

export class CtrSimulator {
  private readonly r: () => number;
  private readonly now: () => Date;
  private readonly weights: [SimKind, number][];
  /**
   * Recent forwarded contacts, for duplicates and re-emissions: the last CTR sent for each of the newest
   * RECENT_DROPS (Connect re-sends within minutes; an unbounded list would grow through a long session).
   */
  private readonly drops: Record<string, unknown>[] = [];
  private dropsAdded = 0;
  /**
   * Every dropped contact sent so far → the newest LastUpdateTimestamp sent, in epoch seconds (the simulator's
   * timestamps are whole seconds): a number instead of an ISO string halves what a long session keeps per drop.
   */
  private readonly newestByContact = new Map<string, number>();
  private readonly counts: SimExpected = {
    records: 0,
    cases: 0,
    absorbed: 0,
    skipped: 0,
    resolved: 0,
    parked: 0,
    byKind: {}
  };

  constructor(options: SimulatorOptions = {}) {
    this.r = seededRandom(options.seed ?? 42);
    this.now = options.now ?? (() => new Date());
    this.weights = options.lifecycle ? [...WEIGHTS, ...LIFECYCLE_WEIGHTS] : WEIGHTS;
  }

  /** Every dropped contact sent so far with the newest version sent (LastUpdateTimestamp): what its Case must hold. */
  expectedCases(): { contactId: string; lastUpdated: string }[] {
    return [...this.newestByContact].map(([contactId, seconds]) => ({
      contactId,
      lastUpdated: iso(seconds * 1000)
    }));
  }

  expected(): SimExpected {
    return { ...this.counts, byKind: { ...this.counts.byKind } };
  }

  next(): SimRecord {
    let kind = this.pickKind();
    if ((kind === 'duplicate' || kind === 're-emitted') && this.drops.length === 0)
      kind = 'abandoned-in-queue';
    if (kind === 'got-through' && !this.drops.some(hasPhone)) kind = 'agent-handled';
    const rec = this.make(kind);
    this.counts.records++;
    this.counts.byKind[kind] = (this.counts.byKind[kind] ?? 0) + 1;
    // Every 'case' record is a new contact (a fresh random ContactId), so counting them counts distinct contacts.
    if (rec.expect === 'case') this.counts.cases++;
    else if (rec.expect === 'absorbed') this.counts.absorbed++;
    else if (rec.expect === 'skip') this.counts.skipped++;
    else if (rec.expect === 'resolve') this.counts.resolved++;
    else this.counts.parked++;
    return rec;
  }

  take(n: number): SimRecord[] {
    return Array.from({ length: n }, () => this.next());
  }

  private pickKind(): SimKind {
    const total = this.weights.reduce((a, [, w]) => a + w, 0);
    let x = this.r() * total;
    for (const [k, w] of this.weights) {
      x -= w;
      if (x < 0) return k;
    }
    return 'agent-handled';
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.r() * (max - min + 1));
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.r() * items.length)] as T;
  }

  private phone(): string {
    return `+1555555${String(this.int(100, 199)).padStart(4, '0')}`;
  }

  private make(kind: SimKind): SimRecord {
    if (kind === 'malformed') {
      return {
        data: this.pick(MALFORMED)(this.r),
        partitionKey: uuid(this.r),
        kind,
        contactId: null,
        expect: 'park'
      };
    }
    return kind === 'duplicate' || kind === 're-emitted' ? this.repeat(kind) : this.fresh(kind);
  }

  /** Connect sends a recent drop again: the same record (duplicate), or with later data (re-emitted). */
  private repeat(kind: 'duplicate' | 're-emitted'): SimRecord {
    const original = this.pick(this.drops);
    let ctr = original;
    if (kind === 're-emitted') {
      // Connect re-sends a record when new data arrives: same ContactId, later LastUpdateTimestamp.
      const last = Date.parse(String(original.LastUpdateTimestamp));
      ctr = {
        ...original,
        LastUpdateTimestamp: iso(last + this.int(30, 600) * 1000),
        Attributes: { ...(original.Attributes as Record<string, string>), surveyOffered: 'false' }
      };
      this.drops[this.drops.indexOf(original)] = ctr;
      this.newestByContact.set(String(ctr.ContactId), epochSeconds(ctr.LastUpdateTimestamp));
    }
    const contactId = String(ctr.ContactId);
    return { data: JSON.stringify(ctr), partitionKey: contactId, kind, contactId, expect: 'absorbed' };
  }

  /** A new contact of this kind, with what the relay should do with it. */
  private fresh(kind: SimKind): SimRecord {
    const r = this.r;
    const now = this.now().getTime();
    const disconnect = now - this.int(5, 90) * 1000;
    const contactId = uuid(r);
    const chat = kind === 'abandoned-chat';
    const queueName = this.pick(QUEUES);
    const queueSeconds = this.int(kind === 'agent-handled' ? 3 : 20, kind === 'agent-handled' ? 180 : 600);
    const ivrSeconds = this.int(15, 90);
    const talkSeconds = this.int(60, 900);
    const c: Contact = {
      ctr: this.baseCtr(contactId, chat, disconnect),
      disconnect,
      initiation: disconnect - (ivrSeconds + queueSeconds) * 1000,
      ivrSeconds,
      queueSeconds,
      talkSeconds,
      queue: (enqueue, dequeue) => ({
        ARN: `${INSTANCE}/queue/${uuid(r)}`,
        Name: queueName,
        EnqueueTimestamp: iso(enqueue),
        DequeueTimestamp: iso(dequeue),
        Duration: Math.round((dequeue - enqueue) / 1000)
      })
    };
    const expect = this.shape(kind, c);
    const { ctr } = c;
    ctr.InitiationTimestamp = iso(c.initiation);
    ctr.ConnectedToSystemTimestamp = iso(c.initiation);
    ctr.LastUpdateTimestamp = iso(c.disconnect + this.int(20, 120) * 1000);
    if (expect === 'case') {
      this.newestByContact.set(contactId, epochSeconds(ctr.LastUpdateTimestamp));
      // A ring of the newest drops: the oldest is replaced once it is full.
      this.drops[this.dropsAdded % RECENT_DROPS] = ctr;
      this.dropsAdded++;
    }
    return { data: JSON.stringify(ctr), partitionKey: contactId, kind, contactId, expect };
  }

  /** An inbound voice contact (or a chat) that ended in the IVR; `shape` makes it what its kind says. */
  private baseCtr(contactId: string, chat: boolean, disconnect: number): Record<string, unknown> {
    return {
      AWSAccountId: '111122223333',
      AWSContactTraceRecordFormatVersion: '2017-03-10',
      Agent: null,
      AgentConnectionAttempts: 0,
      Attributes: { greetingPlayed: 'true', intent: this.pick(['billing', 'outage', 'moving', 'sales']) },
      Channel: chat ? 'CHAT' : 'VOICE',
      ContactId: contactId,
      CustomerEndpoint: chat ? null : { Address: this.phone(), Type: 'TELEPHONE_NUMBER' },
      DisconnectReason: chat ? null : 'CUSTOMER_DISCONNECT',
      DisconnectTimestamp: iso(disconnect),
      InitialContactId: null,
      InitiationMethod: chat ? 'API' : 'INBOUND',
      InstanceARN: INSTANCE,
      NextContactId: null,
      PreviousContactId: null,
      Queue: null,
      SystemEndpoint: chat ? null : { Address: '+15555550100', Type: 'TELEPHONE_NUMBER' },
      TransferCompletedTimestamp: null,
      TransferredToEndpoint: null
    };
  }

  private shape(kind: SimKind, c: Contact): SimExpectation {
    const { ctr } = c;
    switch (kind) {
      case 'got-through':
      case 'agent-dropped-telecom':
      case 'callback-not-connected':
      case 'agent-handled':
        return this.reachedAgent(kind, c);
      case 'self-service':
        (ctr.Attributes as Record<string, string>).selfServiceResolved = 'true';
        ctr.DisconnectReason = 'CONTACT_FLOW_DISCONNECT';
        return 'resolve';
      case 'transferred':
        ctr.NextContactId = uuid(this.r);
        ctr.TransferCompletedTimestamp = iso(c.disconnect);
        ctr.TransferredToEndpoint = { Address: '+15555550101', Type: 'TELEPHONE_NUMBER' };
        return 'skip';
      case 'outbound':
        ctr.InitiationMethod = 'OUTBOUND';
        return 'skip';
      case 'abandoned-in-queue':
      case 'abandoned-chat':
        ctr.Queue = c.queue(c.initiation + c.ivrSeconds * 1000, c.disconnect);
        return 'case';
      case 'ivr-drop':
        ctr.DisconnectReason = this.pick(IVR_REASONS);
        return 'case';
      default:
        return 'skip';
    }
  }

  /** A contact that reached an agent: the customer got through, unless the line or a queued callback failed. */
  private reachedAgent(kind: SimKind, c: Contact): SimExpectation {
    const { ctr } = c;
    c.initiation -= c.talkSeconds * 1000;
    const earlier = kind === 'got-through' ? this.pick(this.drops.filter(hasPhone)) : null;
    if (earlier) {
      // A caller who dropped earlier calls again, after that drop, and reaches an agent.
      const after = Date.parse(String(earlier.DisconnectTimestamp)) + 2000;
      if (c.initiation < after) {
        c.disconnect += after - c.initiation;
        c.initiation = after;
        ctr.DisconnectTimestamp = iso(c.disconnect);
      }
      ctr.CustomerEndpoint = { ...(earlier.CustomerEndpoint as object) };
    }
    const enqueue = c.initiation + c.ivrSeconds * 1000;
    const connected = enqueue + c.queueSeconds * 1000;
    ctr.Queue = c.queue(enqueue, connected);
    ctr.Agent = {
      ARN: `${INSTANCE}/agent/${uuid(this.r)}`,
      Username: this.pick(['agent1', 'agent2', 'agent3']),
      ConnectedToAgentTimestamp: iso(connected),
      AgentInteractionDuration: c.talkSeconds
    };
    ctr.AgentConnectionAttempts = 1;
    ctr.DisconnectReason = this.pick(['CUSTOMER_DISCONNECT', 'AGENT_DISCONNECT']);
    if (kind === 'agent-dropped-telecom') {
      ctr.DisconnectReason = 'TELECOM_PROBLEM';
      return 'case';
    }
    if (kind === 'callback-not-connected') {
      // A queued callback: the agent took it, the customer never answered.
      ctr.InitiationMethod = 'CALLBACK';
      ctr.DisconnectReason = this.pick(['TELECOM_UNANSWERED', 'CUSTOMER_CONNECTION_NOT_ESTABLISHED']);
      (ctr.Agent as Record<string, unknown>).AgentInteractionDuration = 0;
      return 'case';
    }
    // The customer got through: the relay sends it to close that caller's older open callbacks.
    return 'resolve';
  }
}
