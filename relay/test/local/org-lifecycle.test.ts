/**
 * Org emulator lifecycle behaviour the contract examples do not stage (lifecycle-api.md): what a request that
 * both creates and closes a drop publishes, who a change event names, the Task of a max-attempts close, and the
 * preview bridge's user and error conventions.
 */
import {
  CONTRACT_PATH,
  startOrgEmulator,
  TOKEN_PATH,
  USER_HEADER,
  type CallbackChangeEvent,
  type DisconnectedCallEvent,
  type OrgEmulator
} from '../../local/org-emulator';
import { disconnectRecord } from '../support/kit';

const NOW = new Date('2024-05-14T12:00:00.000Z');
const PHONE = '+15555550186';

async function apex(
  emu: OrgEmulator,
  method: string,
  params: Record<string, unknown>,
  actor?: string
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${emu.url}/__preview/apex/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(actor ? { [USER_HEADER]: actor } : {}) },
    body: JSON.stringify(params)
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('org emulator: lifecycle details', () => {
  let emu: OrgEmulator;
  let drops: DisconnectedCallEvent[];
  let changes: CallbackChangeEvent[];

  beforeEach(async () => {
    emu = await startOrgEmulator({ now: () => NOW, customers: [], clientId: 'cid', clientSecret: 's' });
    drops = [];
    changes = [];
    emu.subscribe((e) => drops.push(e));
    emu.subscribeChanges((e) => changes.push(e));
  });
  afterEach(() => emu.stop());

  it('a drop closed by a later record of the same request is no news: AUTO_CLOSED only, no Disconnected_Call__e', async () => {
    const drop = disconnectRecord('d-1', {
      customerPhone: PHONE,
      disconnectedAt: '2024-05-14T10:00:00Z',
      lastUpdated: '2024-05-14T10:01:00Z'
    });
    const other = disconnectRecord('d-2', { customerPhone: '+15555550187' });
    const resolve = disconnectRecord('r-1', {
      action: 'resolve',
      category: 'AGENT_HANDLED',
      customerPhone: PHONE,
      initiatedAt: '2024-05-14T11:00:00Z',
      lastUpdated: '2024-05-14T11:10:00Z'
    });
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'cid',
      client_secret: 's'
    });
    const token = (await (await fetch(emu.url + TOKEN_PATH, { method: 'POST', body: form })).json()) as {
      access_token: string;
    };

    const res = await fetch(emu.url + CONTRACT_PATH, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}` },
      body: JSON.stringify({ records: [drop, other, resolve] })
    });

    const { results } = (await res.json()) as { results: { outcome: string; closedCaseIds?: string[] }[] };
    expect(results.map((r) => r.outcome)).toEqual(['created', 'created', 'resolved']);
    expect(results[2]?.closedCaseIds).toEqual([emu.cases.get('d-1')?.id]);
    expect(drops.map((e) => e.Connect_Contact_Id__c)).toEqual(['d-2']);
    expect(changes.map((c) => [c.Change_Type__c, c.Case_Ids__c, c.Changed_By_Id__c])).toEqual([
      ['AUTO_CLOSED', emu.cases.get('d-1')?.id, null]
    ]);
  });

  it("a resolve closes only that caller's open Cases, follows a drop whose phone changed, and closes each once", async () => {
    const post = async (records: unknown[]): Promise<{ outcome: string; closedCaseIds?: string[] }[]> => {
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'cid',
        client_secret: 's'
      });
      const { access_token } = (await (
        await fetch(emu.url + TOKEN_PATH, { method: 'POST', body: form })
      ).json()) as {
        access_token: string;
      };
      const res = await fetch(emu.url + CONTRACT_PATH, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}` },
        body: JSON.stringify({ records })
      });
      return ((await res.json()) as { results: { outcome: string; closedCaseIds?: string[] }[] }).results;
    };
    const OTHER = '+15555550199';
    const dropped = (id: string, phone: string, lastUpdated: string): unknown =>
      disconnectRecord(id, { customerPhone: phone, disconnectedAt: '2024-05-14T10:00:00Z', lastUpdated });
    const resolveOf = (id: string, phone: string): unknown =>
      disconnectRecord(id, {
        action: 'resolve',
        category: 'AGENT_HANDLED',
        customerPhone: phone,
        initiatedAt: '2024-05-14T11:00:00Z',
        lastUpdated: '2024-05-14T11:10:00Z'
      });
    await post([
      dropped('p-1', PHONE, '2024-05-14T10:01:00Z'),
      dropped('p-2', PHONE, '2024-05-14T10:01:00Z')
    ]);
    // A newer version of p-2 carries another number: it is that caller's callback now, not PHONE's.
    await post([dropped('p-2', OTHER, '2024-05-14T10:02:00Z')]);

    const [first] = await post([resolveOf('r-1', PHONE)]);
    const [again] = await post([resolveOf('r-2', PHONE)]);
    const [other] = await post([resolveOf('r-3', OTHER)]);

    expect(first?.closedCaseIds).toEqual([emu.cases.get('p-1')?.id]);
    expect(again?.outcome).toBe('nothing-to-resolve');
    expect(other?.closedCaseIds).toEqual([emu.cases.get('p-2')?.id]);
    expect(emu.cases.get('p-2')?.resolvedByContactId).toBe('r-3');
  });

  it('names who made each change, and a max-attempts close says so on its Task', async () => {
    emu.seedCase(disconnectRecord('m-1', { customerPhone: PHONE, disconnectedAt: '2024-05-14T09:00:00Z' }), {
      status: 'Attempted',
      attempts: 2
    });
    const key = emu.cases.get('m-1')?.callerKey as string;

    const claim = await apex(emu, 'claimCaller', { callerKey: key }, 'agentB');
    const outcome = await apex(
      emu,
      'logCallerOutcome',
      { requestJson: JSON.stringify({ callerKey: key, disposition: 'BUSY', clientRequestId: 'r-max-1' }) },
      'agentB'
    );

    expect(claim.status).toBe(200);
    expect(outcome.body).toMatchObject({
      closed: true,
      closedAs: 'UNREACHABLE',
      status: 'Unreachable',
      attempts: 3
    });
    expect(changes.map((c) => [c.Change_Type__c, c.Changed_By_Id__c])).toEqual([
      ['CLAIMED', emu.users.agentB?.id],
      ['OUTCOME', emu.users.agentB?.id]
    ]);
    expect(emu.cases.get('m-1')?.tasks.map((t) => t.subject)).toEqual([
      'Callback: Busy (closed: Unreachable)'
    ]);
  });

  it('the bridge acts as agentA by default, refuses users without the permission set, and names unknown methods', async () => {
    emu.seedCase(
      disconnectRecord('b-1', { customerPhone: PHONE, disconnectedAt: '2024-05-14T11:00:00Z' }),
      {}
    );
    const key = emu.cases.get('b-1')?.callerKey as string;

    const asDefault = await apex(emu, 'claimCaller', { callerKey: key });
    const outsider = await apex(emu, 'getWorklist', { requestJson: null }, 'outsider');
    const unknown = await apex(emu, 'deleteEverything', {});

    expect(asDefault.body).toMatchObject({
      claimedByName: 'Ada Agent',
      claimedUntil: '2024-05-14T12:10:00.000Z'
    });
    expect(outsider.status).toBe(400);
    expect(JSON.parse(outsider.body.message as string)).toMatchObject({ code: 'NO_ACCESS' });
    expect(unknown).toEqual({ status: 404, body: { message: 'No such Apex method: deleteEverything' } });
  });

  it('a CALL_BACK_LATER time more than 30 days ahead is refused', async () => {
    emu.seedCase(
      disconnectRecord('c-1', { customerPhone: PHONE, disconnectedAt: '2024-05-14T11:00:00Z' }),
      {}
    );
    const key = emu.cases.get('c-1')?.callerKey as string;
    const later = (days: number): Promise<{ status: number; body: Record<string, unknown> }> =>
      apex(emu, 'logCallerOutcome', {
        requestJson: JSON.stringify({
          callerKey: key,
          disposition: 'CALL_BACK_LATER',
          callbackAt: new Date(NOW.getTime() + days * 86_400_000).toISOString(),
          clientRequestId: `r-later-${days}`
        })
      });

    expect(JSON.parse((await later(31)).body.message as string)).toMatchObject({ code: 'INVALID_REQUEST' });
    expect((await later(29)).body).toMatchObject({ closed: false, attempts: 0 });
  });
});
