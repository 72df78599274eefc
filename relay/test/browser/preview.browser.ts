/**
 * Browser test of the console preview (run: npm run test:browser; not part of jest).
 * Starts the local stack and opens the preview for two agents in headless Chromium: one in a 640 px utility-panel
 * sized page (compact list), one at 1440 px (table). Puts a dropped call into the stream, waits for it to appear
 * live in both (empApi stand-in → server-sent events), logs an outcome through the real component, and runs
 * axe-core on the component in both layouts (no violations allowed). Screenshots go to test-results/ (gitignored);
 * `--update-readme-screenshot` writes them to relay/local/preview/ instead, the pictures the README shows.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CtrSimulator } from '../../local/simulator';
import { startLocalStack, type LocalStack } from '../../local/stack';

const SCREENSHOT_DIR = process.argv.includes('--update-readme-screenshot')
  ? resolve(__dirname, '../../local/preview')
  : resolve(__dirname, '../../../test-results');
const shot = (width: number): string => join(SCREENSHOT_DIR, `screenshot-${width}.png`);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core on the worklist component only (the preview's own banner and stand-in page chrome are not judged). */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run({ include: [['c-callback-worklist']] }, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target }))
    }));
  });
}
let passedSteps = 0;
const iso = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** The ContactId of the live drop (liveDrop), whose Case the last step finds closed. */
const LIVE_CONTACT_ID = 'b10b0000-0000-4000-8000-00000000e411';

/** A voice call abandoned in queue a moment ago by a caller the emulator knows (Emil Larsen). */
function liveDrop(): { data: string; partitionKey: string } {
  const now = Date.now();
  const contactId = LIVE_CONTACT_ID;
  const ctr = {
    AWSContactTraceRecordFormatVersion: '2017-03-10',
    ContactId: contactId,
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: iso(now - 400_000),
    ConnectedToSystemTimestamp: iso(now - 400_000),
    DisconnectTimestamp: iso(now - 5_000),
    LastUpdateTimestamp: iso(now),
    DisconnectReason: 'CUSTOMER_DISCONNECT',
    CustomerEndpoint: { Address: '+15555550112', Type: 'TELEPHONE_NUMBER' },
    Queue: {
      Name: 'Billing',
      EnqueueTimestamp: iso(now - 370_000),
      DequeueTimestamp: iso(now - 5_000),
      Duration: 365
    },
    Agent: null,
    Attributes: { intent: 'billing' },
    NextContactId: null,
    TransferredToEndpoint: null
  };
  return { data: JSON.stringify(ctr), partitionKey: contactId };
}

async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  const result = await fn();
  console.log(`ok - ${name} (${Date.now() - t} ms)`);
  passedSteps++;
  return result;
}

/** What the steps below share: the stack, the two agents' pages, and the Cases there were before the live drop. */
interface Session {
  stack: LocalStack;
  panel: Page;
  wide: Page;
  before: number;
}

/** The worklist's rows in either layout (table rows, or list items in the compact list). */
const rows = (page: Page) => page.locator('tbody tr, li[data-key]');

/** The local stack with the console preview, and a few earlier drops so the worklist is not empty when opened. */
async function stackWithEarlierDrops(): Promise<{ stack: LocalStack; before: number }> {
  const stack = await step('local stack with console preview starts on loopback', () =>
    startLocalStack({
      preview: true,
      shards: 1,
      batchSize: 20,
      windowMs: 0,
      pollIntervalMs: 50,
      logLevel: 'warn'
    })
  );
  assert.match(stack.previewUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/preview\/$/);
  const sim = new CtrSimulator({ seed: 3 });
  const earlier = sim
    .take(40)
    .filter((r) => r.expect === 'case')
    .slice(0, 5);
  await stack.put(earlier);
  assert.ok(await stack.waitUntilConsumed(20_000), 'earlier drops consumed');
  const before = stack.emulator.cases.size;
  assert.ok(before >= 3, `expected a few Cases, got ${before}`);
  return { stack, before };
}

/** Headless Chromium that can reach the loopback emulator and nothing else. */
async function launchBrowser(userDataDir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  });
  // Everything the page loads must come from the loopback emulator.
  await context.route('**/*', (route) =>
    route.request().url().startsWith('http://127.0.0.1:') ? route.continue() : route.abort()
  );
  return context;
}

/**
 * Agent A works from a utility panel (640 px, the size the README suggests); agent B has a wide console tab. Page
 * errors and console errors of either go to `errors`.
 */
async function openAgents(
  context: BrowserContext,
  stack: LocalStack,
  before: number,
  errors: string[]
): Promise<{ panel: Page; wide: Page }> {
  const openAgent = async (actor: string, width: number): Promise<Page> => {
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    page.on('pageerror', (e) => errors.push(`${actor} pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${actor} console: ${m.text()}`);
    });
    await page.goto(`${stack.previewUrl as string}?as=${actor}`);
    return page;
  };
  return step('two agents open the preview: a 640 px panel and a 1440 px page', async () => {
    const panel = await openAgent('agentA', 640);
    const wide = await openAgent('agentB', 1440);
    for (const page of [panel, wide]) {
      await page.getByRole('heading', { name: 'Callbacks to make' }).waitFor({ timeout: 15_000 });
      await rows(page).first().waitFor({ timeout: 15_000 });
      assert.equal(await rows(page).count(), before);
      // The empApi stand-in is subscribed once the component says it is live.
      await page.locator('[data-id="live-status"]', { hasText: /^\s*Live\b/ }).waitFor({ timeout: 10_000 });
    }
    return { panel, wide };
  });
}

async function layoutFollowsWidth({ panel, wide, before }: Session): Promise<void> {
  await step('layout follows the component width: compact list at 640 px, table at 1440 px', async () => {
    assert.equal(await panel.locator('table').count(), 0);
    assert.equal(await panel.locator('[data-id="list"] > li').count(), before);
    // Call or Log is visible on every caller in the panel, and nothing sticks out sideways.
    assert.ok((await panel.locator('[data-id="list"] button[data-id="log"]').count()) > 0);
    const overflow = await panel.evaluate(() => {
      const g = globalThis as unknown as {
        innerWidth: number;
        document: { documentElement: { scrollWidth: number } };
      };
      return g.document.documentElement.scrollWidth - g.innerWidth;
    });
    assert.ok(overflow <= 0, `panel scrolls sideways by ${overflow} px`);
    assert.equal(await wide.locator('table').count(), 1);
    // The utility bar shows the number waiting.
    await panel.locator('#utility-bar', { hasText: `Callbacks (${before})` }).waitFor({ timeout: 5_000 });
  });
}

async function liveDropAppears({ stack, panel, wide, before }: Session): Promise<void> {
  await step('a drop put into the stream appears live for both agents', async () => {
    await stack.put([liveDrop()]);
    for (const page of [panel, wide]) {
      const row = rows(page).filter({ hasText: 'Emil Larsen' });
      await row.waitFor({ timeout: 20_000 });
      assert.equal(await rows(page).count(), before + 1);
      assert.match((await row.textContent()) ?? '', /\*{7}0112/);
      assert.doesNotMatch((await page.locator('c-callback-worklist').textContent()) ?? '', /\+15555550112/);
    }
    await panel.locator('[data-id="show-new"]').waitFor({ timeout: 5_000 });
    // The coalesced refresh brings the server copy, which can be called.
    await wide.getByRole('button', { name: 'Call Emil Larsen' }).waitFor({ timeout: 10_000 });
  });
}

async function noAxeViolations({ panel, wide }: Session): Promise<void> {
  await step('axe-core finds no violations in the component at either width', async () => {
    for (const [name, page] of [
      ['640 px', panel],
      ['1440 px', wide]
    ] as const) {
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `axe violations at ${name}: ${JSON.stringify(violations, null, 2)}`);
    }
    await panel.screenshot({ path: shot(640), fullPage: true });
    await wide.screenshot({ path: shot(1440) });
    console.log(`   screenshots saved to ${shot(640)} and ${shot(1440)}`);
  });
}

async function callClaimsTheCaller({ panel, wide }: Session): Promise<void> {
  await step("agent B's Call claims the caller; agent A sees it at once and cannot call them", async () => {
    await wide.getByRole('button', { name: 'Call Emil Larsen' }).click();
    const mine = wide.locator('tbody tr', { hasText: 'Emil Larsen' });
    await mine.getByText(/You're calling/).waitFor({ timeout: 5_000 });
    await mine.locator('lightning-click-to-dial').waitFor({ timeout: 5_000 });
    const theirs = rows(panel).filter({ hasText: 'Emil Larsen' });
    await theirs.getByText(/Ben Agent is calling/).waitFor({ timeout: 5_000 });
    assert.equal(await theirs.getByRole('button', { name: 'Call Emil Larsen' }).count(), 0);
  });
}

async function outcomeClosesTheCase({ stack, panel, wide, before }: Session): Promise<void> {
  await step('agent B logs the outcome; the caller leaves both lists at once', async () => {
    const row = wide.locator('tbody tr', { hasText: 'Emil Larsen' });
    await row.getByRole('button', { name: 'Log outcome for Emil Larsen' }).click();
    const dialog = wide.getByRole('dialog');
    await dialog.waitFor({ timeout: 5_000 });
    assert.deepEqual(await axeViolations(wide), [], 'axe violations with the dialog open');
    await dialog.getByLabel('Reached').check();
    await dialog.locator('textarea').fill('Called back, billing question solved');
    await dialog.getByRole('button', { name: 'Save outcome' }).click();
    await wide.getByText(/Outcome logged/).waitFor({ timeout: 10_000 });
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    await rows(panel).filter({ hasText: 'Emil Larsen' }).waitFor({ state: 'detached', timeout: 5_000 });
    await panel.locator('#utility-bar', { hasText: `Callbacks (${before})` }).waitFor({ timeout: 5_000 });
    const stored = stack.emulator.cases.get(LIVE_CONTACT_ID);
    assert.equal(stored?.status, 'Reached');
    assert.equal(stored?.isClosed, true);
  });
}

async function main(): Promise<void> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'preview-chromium-'));
  let stack: LocalStack | undefined;
  let context: BrowserContext | undefined;
  const errors: string[] = [];
  try {
    const started = await stackWithEarlierDrops();
    stack = started.stack;
    context = await launchBrowser(userDataDir);
    const session: Session = {
      stack,
      before: started.before,
      ...(await openAgents(context, stack, started.before, errors))
    };
    await layoutFollowsWidth(session);
    await liveDropAppears(session);
    await noAxeViolations(session);
    await callClaimsTheCaller(session);
    await outcomeClosesTheCase(session);
    assert.deepEqual(errors, [], 'no page errors');
    console.log('preview browser test passed');
    console.log(`browser: ${passedSteps} passed, 0 failed`);
  } finally {
    await context?.close().catch(() => undefined);
    await stack?.stop();
    if (stack) rmSync(stack.runDir, { recursive: true, force: true });
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error('preview browser test FAILED:', e);
    process.exit(1);
  }
);
