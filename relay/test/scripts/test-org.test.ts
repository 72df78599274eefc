// npm run test:org, every step without an org: the CLI answers from recorded --json fixtures
// (relay/test/fixtures/sf-cli), the contract examples really go through the relay's JWT bearer client to the
// local org emulator (which verifies the signature), and the platform events come over a small CometD server
// on 127.0.0.1 fed by the emulator's own event stream.
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startOrgEmulator, type OrgEmulator } from '../../local/org-emulator';
import { collectEvents } from '../../../scripts/org/cometd';
import { relayPoster } from '../../../scripts/org/contractRun';
import type { SfAnswer, SfRunner } from '../../../scripts/org/sf';
import { parseArgs, testOrg, type Deps } from '../../../scripts/test-org';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'sf-cli');
const CLIENT_ID = '3MVGtestorg.consumer.key';
const USERNAME = 'connect-relay@dropped-call-callbacks.example.com.00dfake';
const CLASSES = [
  'CallbackSettings',
  'CallerIdentity',
  'ConnectDisconnectResource',
  'CustomerMatcher',
  'DisconnectIntakeService',
  'DisconnectRequestParser'
];

function fixture(name: string, fill: Record<string, unknown> = {}): SfAnswer['json'] {
  let text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  for (const [key, value] of Object.entries(fill)) {
    text = text.replaceAll(`"{{${key}}}"`, JSON.stringify(value)).replaceAll(`{{${key}}}`, String(value));
  }
  return JSON.parse(text) as SfAnswer['json'];
}

/** A CometD endpoint in the shape Salesforce serves: cookie-bound session, replay extension, long polling. */
async function startCometd(
  emulator: OrgEmulator,
  drop = false
): Promise<{ url: string; stop: () => Promise<void> }> {
  const events: object[] = [];
  emulator.subscribe((payload) => {
    if (!drop)
      events.push({
        channel: '/event/Disconnected_Call__e',
        data: { payload, event: { replayId: events.length + 1 } }
      });
  });
  let delivered = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const [message] = JSON.parse(body) as Array<{
        channel: string;
        ext?: { replay?: Record<string, number> };
      }>;
      const authorised = req.headers.authorization?.startsWith('Bearer 00DFAKE') ?? false;
      const reply = (status: number, json: object[], cookie?: string): void => {
        res.writeHead(status, {
          'Content-Type': 'application/json',
          ...(cookie ? { 'Set-Cookie': cookie } : {})
        });
        res.end(JSON.stringify(json));
      };
      if (!authorised) return reply(401, [{ error: '401::Authentication invalid' }]);
      if (message?.channel === '/meta/handshake') {
        return reply(
          200,
          [{ channel: '/meta/handshake', successful: true, clientId: 'cid-1' }],
          'BAYEUX_BROWSER=b1; Path=/'
        );
      }
      if (req.headers.cookie !== 'BAYEUX_BROWSER=b1')
        return reply(200, [
          { channel: message?.channel ?? '', successful: false, error: '403::Unknown client' }
        ]);
      if (message?.channel === '/meta/subscribe') {
        const fromStart = message.ext?.replay?.['/event/Disconnected_Call__e'] === -2;
        if (!fromStart) delivered = events.length;
        return reply(200, [{ channel: '/meta/subscribe', successful: true }]);
      }
      if (message?.channel === '/meta/connect') {
        const fresh = events.slice(delivered);
        delivered = events.length;
        return reply(200, [...fresh, { channel: '/meta/connect', successful: true }]);
      }
      return reply(200, [{ channel: message?.channel ?? '', successful: true }]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface Harness {
  deps: Deps;
  calls: string[];
  output: string[];
  setupArgs: string[][];
  cleanupApex: () => string;
}

let emulator: OrgEmulator;
let cometd: { url: string; stop: () => Promise<void> };
let dir: string;
let keyFile: string;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-org-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  keyFile = path.join(dir, 'connect-relay.key');
  fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  emulator = await startOrgEmulator({
    clientId: CLIENT_ID,
    username: USERNAME,
    jwtPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString()
  });
});
afterEach(async () => {
  await cometd?.stop();
  await emulator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function harness(opts: { knownOrg: boolean; testRun: string; manualSteps?: number }): Harness {
  const calls: string[] = [];
  const output: string[] = [];
  const setupArgs: string[][] = [];
  const stageDir = path.join(dir, 'stage');
  const sf: SfRunner = async (args) => {
    calls.push(args.join(' '));
    const verb = args.slice(0, 3).join(' ');
    const answer = (json: SfAnswer['json'], exitCode = json.status ?? 0): SfAnswer => ({ exitCode, json });
    if (verb.startsWith('org display')) {
      return opts.knownOrg || setupArgs.length > 0
        ? answer(fixture('org-display.json', { instanceUrl: cometd.url, alias: 'ci-org' }))
        : answer(fixture('org-display-unknown.json', { alias: 'ci-org' }));
    }
    if (verb === 'apex run test') return answer(fixture(opts.testRun));
    if (verb.startsWith('apex run')) return answer(fixture('apex-run.json'));
    if (verb.startsWith('org delete scratch')) return answer(fixture('org-delete-scratch.json'));
    if (verb === 'data query --target-org') {
      const tag = /LIKE '([^']+)-%'/.exec(args.at(-1) ?? '')?.[1] ?? '';
      const records = [...emulator.cases.values()]
        .filter((c) => c.record.contactId.startsWith(`${tag}-`))
        .map((c) => ({ attributes: { type: 'Case' }, Connect_Contact_Id__c: c.record.contactId }));
      return answer(fixture('data-query-cases.json', { records, totalSize: records.length }));
    }
    throw new Error(`unexpected sf call: ${args.join(' ')}`);
  };
  const deps: Deps = {
    sf,
    setup: async (args) => {
      setupArgs.push(args);
      fs.mkdirSync(stageDir, { recursive: true });
      fs.writeFileSync(
        path.join(stageDir, 'relay-settings-ci-org.json'),
        JSON.stringify({
          authFlow: 'jwt',
          loginUrl: emulator.url,
          clientId: CLIENT_ID,
          username: USERNAME,
          privateKeyFile: keyFile,
          instanceUrl: emulator.url,
          manualStepsLeft: opts.manualSteps ?? 0
        })
      );
      return 0;
    },
    poster: relayPoster,
    events: collectEvents,
    log: (line) => output.push(line),
    runTag: 'tojest1',
    stageDir,
    classes: () => CLASSES,
    eventTimeoutMs: 3_000
  };
  const cleanupApex = (): string => fs.readFileSync(path.join(stageDir, 'cleanup-tojest1.apex'), 'utf8');
  return { deps, calls, output, setupArgs, cleanupApex };
}

const options = (extra: string[] = []) => parseArgs(['--target-org', 'ci-org', ...extra]);

describe('npm run test:org (recorded CLI answers, org emulator, local CometD)', () => {
  it('creates the org, passes every step, then deletes the Cases and the org it created', async () => {
    cometd = await startCometd(emulator);
    const h = harness({ knownOrg: false, testRun: 'apex-run-test-passed.json' });
    const ok = await testOrg(options(), h.deps);
    const text = h.output.join('\n');
    expect(text).toContain('test:org passed');
    expect(ok).toBe(true);
    expect(h.setupArgs).toEqual([['--alias', 'ci-org']]);
    expect(h.calls.map((c) => c.split(' --')[0])).toEqual([
      'org display',
      'apex run test',
      'data query',
      'org display',
      'apex run',
      'org delete scratch'
    ]);
    expect(h.calls[1]).toBe(
      'apex run test --target-org ci-org --test-level RunLocalTests --code-coverage --result-format json --wait 60'
    );
    // Every sendable contract example went through the relay's client, with this run's own ContactIds.
    expect(text).toMatch(/ok {3}create: 2 result\(s\) as in the contract/);
    expect(text).toMatch(/ok {3}stale-older:/);
    expect(text).not.toContain('FAIL ');
    expect(emulator.stats.tokenRequests).toBe(1); // one JWT bearer token for every request
    expect([...emulator.cases.values()].every((c) => c.record.contactId.startsWith('tojest1-'))).toBe(true);
    expect(text).toMatch(/Disconnected_Call__e: (\d+) of \1 created Cases announced/);
    expect(h.cleanupApex()).toBe(
      "delete [SELECT Id FROM Case WHERE Connect_Contact_Id__c LIKE 'tojest1-%'];\n"
    );
    expect(h.calls.at(-1)).toBe('org delete scratch --target-org ci-org --no-prompt');
  }, 60_000);

  it('reuses a known org (setup with --skip-create) and never deletes it', async () => {
    cometd = await startCometd(emulator);
    const h = harness({ knownOrg: true, testRun: 'apex-run-test-passed.json' });
    expect(await testOrg(options(['--dev-hub', 'hub']), h.deps)).toBe(true);
    expect(h.setupArgs).toEqual([['--alias', 'ci-org', '--skip-create', '--dev-hub', 'hub']]);
    expect(h.calls.some((c) => c.startsWith('org delete'))).toBe(false);
  }, 60_000);

  it('fails below 90% coverage of any class, naming it', async () => {
    cometd = await startCometd(emulator);
    const h = harness({ knownOrg: true, testRun: 'apex-run-test-low-coverage.json' });
    expect(await testOrg(options(), h.deps)).toBe(false);
    expect(h.output.join('\n')).toContain('LOW COVERAGE CustomerMatcher: 84% (84/100 lines), needs 90%');
    expect(h.output.join('\n')).toContain('test:org FAILED: Apex tests or coverage');
  }, 60_000);

  it('fails on a failing Apex test (the CLI exits 100) and shows its message', async () => {
    cometd = await startCometd(emulator);
    const h = harness({ knownOrg: true, testRun: 'apex-run-test-failed.json' });
    expect(await testOrg(options(), h.deps)).toBe(false);
    expect(h.output.join('\n')).toContain(
      'FAILED DisconnectIntakeServiceTest.runs: System.AssertException: Assertion Failed: One Case per contact'
    );
  }, 60_000);

  it('fails when the org publishes no Disconnected_Call__e', async () => {
    cometd = await startCometd(emulator, true);
    const h = harness({ knownOrg: true, testRun: 'apex-run-test-passed.json' });
    expect(await testOrg(options(), h.deps)).toBe(false);
    expect(h.output.join('\n')).toMatch(/Disconnected_Call__e: 0 of [1-9]\d* created Cases announced/);
    expect(h.output.join('\n')).toContain('platform events missing');
    // Cleanup still ran.
    expect(h.cleanupApex()).toContain("LIKE 'tojest1-%'");
  }, 60_000);

  it('stops before sending anything while the setup left manual steps (no consumer key yet)', async () => {
    cometd = await startCometd(emulator);
    const h = harness({ knownOrg: true, testRun: 'apex-run-test-passed.json', manualSteps: 1 });
    expect(await testOrg(options(), h.deps)).toBe(false);
    expect(h.output.join('\n')).toContain('relay settings incomplete');
    expect(emulator.cases.size).toBe(0);
  }, 60_000);

  it('validates its arguments', () => {
    expect(() => parseArgs([])).toThrow('--target-org ALIAS is required');
    expect(() => parseArgs(['--target-org'])).toThrow('--target-org needs a value');
    expect(() => parseArgs(['-o', 'x', '--min-coverage', '120'])).toThrow('--min-coverage must be 0-100');
    expect(() => parseArgs(['-o', 'x', '--bogus'])).toThrow('unknown option --bogus');
    expect(parseArgs(['-o', 'x', '--min-coverage', '75', '--keep-org'])).toEqual({
      targetOrg: 'x',
      minCoverage: 75,
      keepOrg: true
    });
  });
});
