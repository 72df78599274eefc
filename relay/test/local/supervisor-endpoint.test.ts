// The org emulator's supervisor endpoint and panel: the figures `npm start` shows a supervisor without an org.
import { OrgEmulator, startOrgEmulator } from '../../local/org-emulator';
import { SUPERVISOR_PANEL_PATH, SUPERVISOR_SUMMARY_PATH } from '../../local/supervisor-panel';
import { disconnectRecord } from '../support/kit';

const NOW = new Date('2026-03-02T10:00:00Z');
const minutesAgo = (m: number): string =>
  new Date(NOW.getTime() - m * 60_000).toISOString().replace('.000Z', 'Z');

describe('org emulator supervisor view', () => {
  let emu: OrgEmulator;

  beforeEach(async () => {
    emu = await startOrgEmulator({ now: () => NOW });
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('summarises the callback Cases: drops and open by category, the oldest caller waiting, repeat droppers', async () => {
    const drop = (id: string, ago: number, overrides = {}) =>
      disconnectRecord(id, { lastUpdated: minutesAgo(ago), disconnectedAt: minutesAgo(ago), ...overrides });
    emu.seed([
      drop('s-1', 5),
      drop('s-2', 45, { customerPhone: '+15555550777' }),
      drop('s-3', 20, { customerPhone: '+15555550777', category: 'DROPPED_IN_IVR', queueName: null })
    ]);

    const res = await fetch(emu.url + SUPERVISOR_SUMMARY_PATH);

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      asOf: NOW.toISOString(),
      drops: 3,
      open: 3,
      byCategory: { ABANDONED_IN_QUEUE: { drops: 2, open: 2 }, DROPPED_IN_IVR: { drops: 1, open: 1 } },
      reachRate: null,
      oldestWaiting: { droppedAt: minutesAgo(45), waitingSeconds: 45 * 60, category: 'ABANDONED_IN_QUEUE' },
      repeatCallers: 1
    });
  });

  it('serves the supervisor panel, which reads that endpoint', async () => {
    const res = await fetch(emu.url + SUPERVISOR_PANEL_PATH);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<h1>Dropped-call recovery</h1>');
    expect(html).toContain(`fetch('${SUPERVISOR_SUMMARY_PATH}'`);
    for (const id of ['drops', 'open', 'reach', 'oldest', 'breaches', 'auto', 'repeat', 'categories'])
      expect(html).toContain(`data-id="${id}"`);
  });
});
