/**
 * The callback lifecycle end to end on the local stack (kinesalite → the relay → the org emulator → the worklist's
 * Apex and event stream, all over real HTTP on 127.0.0.1): a call drops and becomes a callback; two agents see it;
 * they race to claim it and exactly one wins while every worklist is told; the winner logs "No answer" and the
 * save is retried, counted once; then the customer calls again and reaches an agent, and that contact, forwarded
 * by the relay in its bulk request, closes the Case as "customer got through".
 */
import { rmSync } from 'node:fs';
import type { CallerGroup, ClaimResult, OutcomeResult } from '../../local/org-emulator';
import { USER_HEADER } from '../../local/org-emulator';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { ctrWith } from '../support/ctr-fixtures';

jest.setTimeout(90_000);

const PHONE = '+15555550186';
const DROP_ID = 'e2e10000-0000-4000-8000-000000000001';
const GOT_THROUGH_ID = 'e2e10000-0000-4000-8000-000000000002';
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A caller who gave up in the queue 20 minutes ago. */
function droppedCall(now: number): string {
  return JSON.stringify(
    ctrWith('voice-inbound-abandoned-in-queue', {
      ContactId: DROP_ID,
      CustomerEndpoint: { Address: PHONE, Type: 'TELEPHONE_NUMBER' },
      InitiationTimestamp: iso(now - 27 * 60_000),
      ConnectedToSystemTimestamp: iso(now - 27 * 60_000),
      Queue: { EnqueueTimestamp: iso(now - 26 * 60_000), DequeueTimestamp: null, Duration: 360 },
      DisconnectTimestamp: iso(now - 20 * 60_000),
      LastUpdateTimestamp: iso(now - 19 * 60_000)
    })
  );
}

/** The same customer calling again 5 minutes ago and talking to an agent. */
function gotThrough(now: number): string {
  return JSON.stringify(
    ctrWith('voice-agent-handled', {
      ContactId: GOT_THROUGH_ID,
      CustomerEndpoint: { Address: PHONE, Type: 'TELEPHONE_NUMBER' },
      InitiationTimestamp: iso(now - 5 * 60_000),
      ConnectedToSystemTimestamp: iso(now - 5 * 60_000),
      Agent: { ConnectedToAgentTimestamp: iso(now - 4 * 60_000) },
      DisconnectTimestamp: iso(now - 60_000),
      LastUpdateTimestamp: iso(now - 30_000)
    })
  );
}

interface Answer<T> {
  status: number;
  value: T;
  code?: string;
}

/** One agent's worklist: the Apex calls the LWC makes, through the preview's Apex bridge, as that agent. */
function agent(stack: LocalStack, actor: string) {
  const call = async <T>(method: string, params: Record<string, unknown>): Promise<Answer<T>> => {
    const res = await fetch(`${stack.emulator.url}/__preview/apex/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [USER_HEADER]: actor },
      body: JSON.stringify(params)
    });
    const body = (await res.json()) as T & { message?: string };
    if (res.ok) return { status: res.status, value: body };
    return {
      status: res.status,
      value: body,
      code: (JSON.parse(body.message as string) as { code: string }).code
    };
  };
  return {
    worklist: () => call<{ callers: CallerGroup[] }>('getWorklist', { requestJson: JSON.stringify({}) }),
    claim: (callerKey: string) => call<ClaimResult>('claimCaller', { callerKey }),
    outcome: (request: Record<string, unknown>) =>
      call<OutcomeResult>('logCallerOutcome', { requestJson: JSON.stringify(request) })
  };
}

/** A worklist's live feed: the emulator's event stream (what empApi delivers), collected as it arrives. */
async function listen(
  stack: LocalStack
): Promise<{ messages: { channel: string; data: { payload: Record<string, unknown> } }[]; close(): void }> {
  const controller = new AbortController();
  const res = await fetch(`${stack.emulator.url}/__preview/events`, { signal: controller.signal });
  const messages: { channel: string; data: { payload: Record<string, unknown> } }[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (data) messages.push(JSON.parse(data.slice(6)));
        }
      }
    } catch {
      // aborted
    }
  })();
  return { messages, close: () => controller.abort() };
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('callback lifecycle on the local stack', () => {
  let stack: LocalStack;
  afterEach(async () => {
    await stack?.stop();
    if (stack) rmSync(stack.runDir, { recursive: true, force: true });
  });

  it('two agents, a drop, a claim race one wins, a retried outcome counted once, and the customer getting through closes it', async () => {
    stack = await startLocalStack({
      shards: 1,
      batchSize: 10,
      windowMs: 0,
      pollIntervalMs: 20,
      logLevel: 'warn'
    });
    const ada = agent(stack, 'agentA');
    const ben = agent(stack, 'agentB');
    const adaFeed = await listen(stack);
    const benFeed = await listen(stack);

    // 1. The call drops: the relay forwards it and it becomes a callback both agents see at the top.
    const now = Date.now();
    await stack.put([{ data: droppedCall(now), partitionKey: DROP_ID }]);
    expect(await stack.waitUntilConsumed(20_000)).toBe(true);
    const theCase = await until('the Case', () => stack.emulator.cases.get(DROP_ID));
    const [adaList, benList] = await Promise.all([ada.worklist(), ben.worklist()]);
    const top = adaList.value.callers[0] as CallerGroup;
    expect(top).toMatchObject({ state: 'ELIGIBLE', phone: PHONE, phoneSource: 'CALLER_ID', callable: true });
    expect(top.drops.map((d) => d.caseId)).toEqual([theCase.id]);
    expect(benList.value.callers[0]?.callerKey).toBe(top.callerKey);

    // 2. Both press "Call" at the same moment: exactly one claim wins, the other is told who has the caller.
    const race = await Promise.all([ada.claim(top.callerKey), ben.claim(top.callerKey)]);
    const winners = race.filter((r) => r.status === 200);
    const losers = race.filter((r) => r.status !== 200);
    expect(winners).toHaveLength(1);
    expect(losers.map((r) => r.code)).toEqual(['CLAIMED_BY_OTHER']);
    const winner = winners[0]?.value as ClaimResult;
    const [me, other] = winner.claimedByName === 'Ada Agent' ? [ada, ben] : [ben, ada];
    expect(winner.caseIds).toEqual([theCase.id]);
    // …and both worklists hear about it at once, without polling.
    for (const feed of [adaFeed, benFeed]) {
      await until('CLAIMED on every worklist', () =>
        feed.messages.find(
          (m) => m.channel === '/event/Callback_Change__e' && m.data.payload.Change_Type__c === 'CLAIMED'
        )
      );
    }
    const seenByOther = await other.worklist();
    expect(seenByOther.value.callers[0]).toMatchObject({
      state: 'CLAIMED',
      claimedByMe: false,
      claimedByName: winner.claimedByName
    });

    // 3. No answer; the save is retried (the first response was lost): counted once, one Task.
    const request = {
      callerKey: top.callerKey,
      disposition: 'NO_ANSWER',
      note: 'Rang out',
      clientRequestId: '6f1d2c3b-0000-4a5b-8c9d-00000000e2e1'
    };
    const first = await me.outcome(request);
    const retried = await me.outcome(request);
    expect(first.value).toMatchObject({ attempts: 1, closed: false, duplicate: false });
    expect(retried.value).toMatchObject({ attempts: 1, taskId: first.value.taskId, duplicate: true });
    expect(theCase.attempts).toBe(1);
    expect(theCase.tasks).toHaveLength(1);
    expect(theCase.claimedBy).toBeNull();
    // Waiting out the retry delay: nobody can claim it before then.
    expect((await other.claim(top.callerKey)).code).toBe('NOT_ELIGIBLE');

    // 4. The customer calls again and reaches an agent: the relay forwards that contact in its bulk request,
    //    and the callback closes itself.
    await stack.put([{ data: gotThrough(Date.now()), partitionKey: GOT_THROUGH_ID }]);
    expect(await stack.waitUntilConsumed(20_000)).toBe(true);
    await until('the Case closed', () => theCase.isClosed);
    expect(theCase).toMatchObject({
      status: 'Customer got through',
      callbackOutcome: 'CUSTOMER_GOT_THROUGH',
      resolvedByContactId: GOT_THROUGH_ID
    });
    expect(stack.emulator.cases.has(GOT_THROUGH_ID.toLowerCase())).toBe(false);
    for (const feed of [adaFeed, benFeed]) {
      await until('AUTO_CLOSED on every worklist', () =>
        feed.messages.find((m) => m.data.payload.Change_Type__c === 'AUTO_CLOSED')
      );
    }
    expect((await ada.worklist()).value.callers.map((c) => c.callerKey)).not.toContain(top.callerKey);
    expect(
      (await me.outcome({ ...request, clientRequestId: '6f1d2c3b-0000-4a5b-8c9d-00000000e2e2' })).code
    ).toBe('NOTHING_OPEN');
    expect(stack.summary()).toMatchObject({ casesCreated: 1, parked: 0, rejected: 0 });
    adaFeed.close();
    benFeed.close();
  });
});
