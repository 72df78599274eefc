/**
 * The org emulator against every lifecycle example of ConnectDisconnectContract.json — the examples the Apex tests
 * run too — so the emulator the preview and the local stack use cannot drift from Apex: the intake additions
 * (resolve, phoneSource, new categories, due-by, Do Not Call) through the real REST endpoint, and every worklist
 * entry point (getWorklist, claimCaller, claimNext, releaseCaller, logCallerOutcome, getDispositions) through the
 * preview's Apex bridge, as the example's actor, with the Case states, Tasks and Callback_Change__e that follow.
 */
import {
  CONTRACT_PATH,
  loadDispositions,
  startOrgEmulator,
  TOKEN_PATH,
  USER_HEADER,
  type CallbackChangeEvent,
  type OrgEmulator
} from '../../local/org-emulator';
import { BUILT_IN_DISPOSITIONS } from '../../local/org/dispositions';
import { readContract } from '../support/kit';
import { type LifecycleContract, Refs, usersOf } from '../support/lifecycle-contract';

jest.setTimeout(30_000);

const lifecycle = readContract<{ lifecycle: LifecycleContract }>().lifecycle;
const CLIENT_ID = '3MVG9lifecycle';
const SECRET = 'not-a-real-secret';

async function startEmulator(
  drift: { claimTimeoutMinutes?: number } = {}
): Promise<{ emu: OrgEmulator; refs: Refs; events: CallbackChangeEvent[] }> {
  const emu = await startOrgEmulator({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    now: () => new Date(lifecycle.now),
    customers: [],
    users: usersOf(lifecycle),
    settings: {
      claimTimeoutMinutes: lifecycle.settings.claimTimeoutMinutes,
      maxAttempts: lifecycle.settings.maxAttempts,
      dueMinutes: lifecycle.settings.dueMinutes,
      ...drift
    }
  });
  const events: CallbackChangeEvent[] = [];
  emu.subscribeChanges((e) => events.push(e));
  return { emu, refs: new Refs(emu), events };
}

/** An Apex call through the preview bridge: the value, or the AuraHandledException's {code, message}. */
async function callApex(
  emu: OrgEmulator,
  actor: string,
  method: string,
  params: Record<string, unknown>
): Promise<{ status: number; value: unknown; error?: { code: string; message: string } }> {
  const res = await fetch(`${emu.url}/__preview/apex/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [USER_HEADER]: actor },
    body: JSON.stringify(params)
  });
  const body: unknown = await res.json();
  if (res.status === 200) return { status: 200, value: body };
  const message = (body as { message: string }).message;
  return { status: res.status, value: null, error: JSON.parse(message) as { code: string; message: string } };
}

describe('lifecycle contract: the shape of the examples', () => {
  it('has examples for every worklist entry point, and every error code but the server faults is exercised', () => {
    const methods = new Set(lifecycle.examples.flatMap((e) => e.calls.map((c) => c.method)));
    expect([...methods].sort()).toEqual(Object.keys(lifecycle.methods).sort());
    const codes = new Set(lifecycle.examples.flatMap((e) => e.calls.flatMap((c) => c.error?.code ?? [])));
    expect([...codes].filter((c) => !lifecycle.errorCodes.includes(c))).toEqual([]);
    // Lock contention and unexpected failures cannot be staged by an example.
    const SERVER_FAULTS = ['RETRYABLE', 'UNEXPECTED'];
    expect(lifecycle.errorCodes.filter((c) => !codes.has(c) && !SERVER_FAULTS.includes(c))).toEqual([]);
  });

  it('the dispositions the emulator reads from force-app are its built-in copy (get-dispositions checks the API)', () => {
    expect(loadDispositions()).toEqual(BUILT_IN_DISPOSITIONS);
  });
});

describe('lifecycle contract: intake examples (org emulator side)', () => {
  let emu: OrgEmulator;
  let refs: Refs;
  let events: CallbackChangeEvent[];

  beforeEach(async () => ({ emu, refs, events } = await startEmulator()));
  afterEach(() => emu.stop());

  it.each(lifecycle.intakeExamples.map((ex) => [ex.name, ex] as const))('%s', async (_name, ex) => {
    refs.addContacts(ex.givenContacts);
    for (const given of ex.given) {
      // A given record may carry the Case "state" it is in.
      const { state, ...record } = given as {
        state?: Record<string, unknown>;
        contactId: string;
        lastUpdated: string;
      };
      if (state) refs.addCase({ ref: record.contactId, record, customer: null, state });
      else emu.seed([record] as never);
    }
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: SECRET
    });
    const token = (await (await fetch(emu.url + TOKEN_PATH, { method: 'POST', body: form })).json()) as {
      access_token: string;
    };

    const res = await fetch(emu.url + CONTRACT_PATH, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(ex.request)
    });

    expect(res.status).toBe(ex.status);
    const body: unknown = await res.json();
    const problems = [...refs.diff(ex.response, body, 'response'), ...refs.thenDiff(ex.then, events)];
    expect(problems).toEqual([]);
  });
});

/** Runs one lifecycle example; the differences between the contract and the emulator (empty = it matches). */
async function runExample(
  ex: LifecycleContract['examples'][number],
  emu: OrgEmulator,
  refs: Refs,
  events: CallbackChangeEvent[]
): Promise<string[]> {
  refs.addContacts(ex.given.contacts);
  ex.given.cases.forEach((c) => refs.addCase(c));
  const problems: string[] = [];
  for (const [i, call] of ex.calls.entries()) {
    const where = `call ${i + 1} (${call.actor} ${call.method})`;
    const got = await callApex(emu, call.actor, call.method, refs.params(call.params));
    if (call.error) {
      problems.push(...refs.diff(call.error.code, got.error?.code ?? `<answered ${got.status}>`, where));
      continue;
    }
    if (got.error) problems.push(`${where}: refused ${got.error.code}: ${got.error.message}`);
    else problems.push(...refs.diff(call.response, got.value, where));
    refs.prev = got.value;
  }
  return [...problems, ...refs.thenDiff(ex.then, events)];
}

it('the check bites: an emulator drifting from the contract (a 15-minute claim) fails the claim examples', async () => {
  const { emu, refs, events } = await startEmulator({ claimTimeoutMinutes: 15 });
  try {
    const ex = lifecycle.examples.find(
      (e) => e.name === 'claim-caller'
    ) as LifecycleContract['examples'][number];
    const problems = await runExample(ex, emu, refs, events);
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/claimedUntil: .* ≠ 2024-05-14T12:10/)])
    );
  } finally {
    await emu.stop();
  }
});

describe('lifecycle contract: worklist Apex examples (org emulator side)', () => {
  let emu: OrgEmulator;
  let refs: Refs;
  let events: CallbackChangeEvent[];

  beforeEach(async () => ({ emu, refs, events } = await startEmulator()));
  afterEach(() => emu.stop());

  it.each(lifecycle.examples.map((ex) => [ex.name, ex] as const))('%s', async (_name, ex) => {
    expect(await runExample(ex, emu, refs, events)).toEqual([]);
  });
});
