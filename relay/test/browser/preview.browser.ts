/**
 * Browser test of the console preview (run: npx tsx relay/test/browser/preview.browser.ts; not part of jest).
 * Starts the local stack, opens the preview in headless Chromium, puts a dropped call into the stream, waits for
 * its row to appear live (empApi stand-in → server-sent events), logs an outcome through the real component and
 * saves a screenshot to test-results/preview.png (gitignored). `--update-readme-screenshot` writes it to
 * relay/local/preview/screenshot.png instead, the picture the README shows.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CtrSimulator } from '../../local/simulator';
import { startLocalStack, type LocalStack } from '../../local/stack';

const SCREENSHOT = process.argv.includes('--update-readme-screenshot')
  ? resolve(__dirname, '../../local/preview/screenshot.png')
  : resolve(__dirname, '../../../test-results/preview.png');
let passedSteps = 0;
const iso = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** A voice call abandoned in queue a moment ago by a caller the emulator knows (Emil Larsen). */
function liveDrop(): { data: string; partitionKey: string } {
  const now = Date.now();
  const contactId = 'b10b0000-0000-4000-8000-00000000e411';
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

async function main(): Promise<void> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'preview-chromium-'));
  let stack: LocalStack | undefined;
  let context: BrowserContext | undefined;
  const errors: string[] = [];
  try {
    stack = await step('local stack with console preview starts on loopback', () =>
      startLocalStack({
        preview: true,
        shards: 1,
        batchSize: 20,
        windowMs: 0,
        pollIntervalMs: 50,
        logLevel: 'warn'
      })
    );
    const s = stack;
    assert.match(s.previewUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/preview\/$/);

    // Some earlier drops, so the worklist is not empty when the agent opens it.
    const sim = new CtrSimulator({ seed: 3 });
    const earlier = sim
      .take(40)
      .filter((r) => r.expect === 'case')
      .slice(0, 5);
    await s.put(earlier);
    assert.ok(await s.waitUntilConsumed(20_000), 'earlier drops consumed');
    const before = s.emulator.cases.size;
    assert.ok(before >= 3, `expected a few Cases, got ${before}`);

    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1180, height: 720 },
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
    const page: Page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });

    await step('preview renders the real worklist with the existing Cases', async () => {
      await page.goto(s.previewUrl as string);
      await page.getByRole('heading', { name: 'Callbacks to make' }).waitFor({ timeout: 15_000 });
      await page.locator('tbody tr').first().waitFor({ timeout: 15_000 });
      assert.equal(await page.locator('tbody tr').count(), before);
      // The empApi stand-in is subscribed once the component says it is live.
      await page.locator('[data-id="live-status"]', { hasText: /^\s*Live\b/ }).waitFor({ timeout: 10_000 });
    });

    await step('a drop put into the stream appears as a new row, live', async () => {
      await s.put([liveDrop()]);
      const row = page.locator('tbody tr', { hasText: 'Emil Larsen' });
      await row.waitFor({ timeout: 20_000 });
      assert.equal(await page.locator('tbody tr').count(), before + 1);
      assert.match((await row.textContent()) ?? '', /\*{7}0112/);
      assert.doesNotMatch((await row.textContent()) ?? '', /\+15555550112/);
      await page.screenshot({ path: SCREENSHOT });
      console.log(`   screenshot saved to ${SCREENSHOT}`);
    });

    await step('logging an outcome goes through Apex and removes the row', async () => {
      const row = page.locator('tbody tr', { hasText: 'Emil Larsen' });
      await row.getByRole('button', { name: 'Log outcome for Emil Larsen' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor({ timeout: 5_000 });
      await dialog.getByLabel('Reached').check();
      await dialog.locator('textarea').fill('Called back, billing question solved');
      await dialog.getByRole('button', { name: 'Save outcome' }).click();
      await page.getByText(/Outcome logged/).waitFor({ timeout: 10_000 });
      await row.waitFor({ state: 'detached', timeout: 10_000 });
      const stored = s.emulator.cases.get('b10b0000-0000-4000-8000-00000000e411');
      assert.equal(stored?.status, 'Reached');
      assert.equal(stored?.isClosed, true);
      assert.equal(stored?.tasks[0]?.subject, 'Callback: Reached');
    });

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
