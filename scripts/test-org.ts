/**
 * npm run test:org -- --target-org ALIAS: the Salesforce side tested in a real scratch org, for anyone with a
 * Dev Hub. Steps (each printed as it runs; exits 1 at the end if any failed):
 *   1. reuse the org ALIAS if the CLI knows it, else create it: scripts/setup-scratch-org.sh (deploy, permission
 *      sets, integration user, External Client App) — with --skip-create for an existing org;
 *   2. run every local Apex test; fail on any failure or any project class under --min-coverage (90) percent;
 *   3. send the contract examples through the relay's own code (JWT bearer as the integration user) to the org;
 *   4. check the Cases exist and that Disconnected_Call__e was published for each created one (Streaming API);
 *   5. clean up: delete the Cases this run created; delete the scratch org if this run created it (--keep-org
 *      keeps it).
 * Usage: npm run test:org -- --target-org ALIAS [--dev-hub HUB] [--min-coverage N] [--keep-org]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { apexClass } from './check-apex-contract';
import { judgeTestRun, runLocalApexTests } from './org/apexTests';
import { collectEvents, type CollectOptions, type EventMessage } from './org/cometd';
import {
  relayPoster,
  runExample,
  sendableExamples,
  type ContractExample,
  type Poster,
  type RelaySettings
} from './org/contractRun';
import { cliRunner, sfResult, type SfRunner } from './org/sf';

const ROOT = resolve(__dirname, '..');
const CONTRACT = join(ROOT, 'force-app/main/default/staticresources/ConnectDisconnectContract.json');
const EVENT_CHANNEL = '/event/Disconnected_Call__e';

export interface Options {
  targetOrg: string;
  devHub?: string;
  minCoverage: number;
  keepOrg: boolean;
}

export interface Deps {
  sf: SfRunner;
  /** Runs scripts/setup-scratch-org.sh with these arguments; resolves to its exit code. */
  setup: (args: string[]) => Promise<number>;
  poster: (settings: RelaySettings) => { post: Poster; close: () => Promise<void> };
  events: (options: CollectOptions) => Promise<EventMessage[]>;
  log: (line: string) => void;
  runTag: string;
  stageDir: string;
  /** The project's non-test Apex classes (each must reach the coverage bar). */
  classes: () => string[];
  /** How long to wait for the platform events. */
  eventTimeoutMs: number;
}

export function parseArgs(argv: string[]): Options {
  const options: Options = { targetOrg: '', minCoverage: 90, keepOrg: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--target-org' || arg === '-o') options.targetOrg = value();
    else if (arg === '--dev-hub') options.devHub = value();
    else if (arg === '--min-coverage') options.minCoverage = Number(value());
    else if (arg === '--keep-org') options.keepOrg = true;
    else throw new Error(`unknown option ${arg}`);
  }
  if (!options.targetOrg) throw new Error('--target-org ALIAS is required');
  if (!(options.minCoverage >= 0 && options.minCoverage <= 100))
    throw new Error('--min-coverage must be 0-100');
  return options;
}

/** Non-test Apex classes of the project: each must reach the coverage bar. */
export function projectClasses(classesDir = join(ROOT, 'force-app/main/default/classes')): string[] {
  return readdirSync(classesDir)
    .filter((f) => f.endsWith('.cls'))
    .map((f) => apexClass(basename(f, '.cls'), f, readFileSync(join(classesDir, f), 'utf8')))
    .filter((c) => !c.isTest)
    .map((c) => c.name);
}

async function orgExists(sf: SfRunner, org: string): Promise<boolean> {
  const answer = await sf(['org', 'display', '--target-org', org]);
  return answer.exitCode === 0 && (answer.json.status ?? 0) === 0;
}

function readSettings(file: string): RelaySettings & { manualStepsLeft: number; privateKeyFile: string } {
  const json = JSON.parse(readFileSync(file, 'utf8')) as RelaySettings & {
    manualStepsLeft: number;
    privateKeyFile: string;
  };
  return { ...json, privateKey: readFileSync(json.privateKeyFile, 'utf8') };
}

type Log = (line: string) => void;

const step = (log: Log, title: string): void => log(`\n==> ${title}`);

/**
 * Step 5, once: delete the Cases of run `tag` (none when setup failed), then the scratch org if this run created
 * it (unless --keep-org).
 */
function cleanupOnce(
  org: string,
  created: boolean,
  options: Options,
  deps: Deps
): (tag: string | null) => Promise<void> {
  const { sf, log } = deps;
  let cleanedUp = false;
  return async (tag) => {
    if (cleanedUp) return;
    cleanedUp = true;
    step(log, 'Clean up');
    if (tag) {
      mkdirSync(deps.stageDir, { recursive: true });
      const apex = join(deps.stageDir, `cleanup-${tag}.apex`);
      writeFileSync(apex, `delete [SELECT Id FROM Case WHERE Connect_Contact_Id__c LIKE '${tag}-%'];\n`);
      const answer = await sf(['apex', 'run', '--file', apex, '--target-org', org]);
      log(
        answer.exitCode === 0 ? `Deleted the Cases of run ${tag}` : `Could not delete the Cases of run ${tag}`
      );
    }
    if (created && !options.keepOrg) {
      const answer = await sf(['org', 'delete', 'scratch', '--target-org', org, '--no-prompt']);
      log(answer.exitCode === 0 ? `Deleted scratch org ${org}` : `Could not delete scratch org ${org}`);
    } else if (created) {
      log(`Kept scratch org ${org} (--keep-org)`);
    }
  };
}

/** Step 3: every sendable contract example through the relay's code; what it stored and created. */
async function sendContractExamples(
  settings: RelaySettings,
  tag: string,
  deps: Deps,
  failures: string[]
): Promise<{ stored: string[]; createdIds: string[] }> {
  const stored: string[] = [];
  const createdIds: string[] = [];
  const contract = JSON.parse(readFileSync(CONTRACT, 'utf8')) as { examples: ContractExample[] };
  const relay = deps.poster(settings);
  try {
    for (const example of sendableExamples(contract.examples)) {
      const run = await runExample(example, tag, relay.post);
      deps.log(`  ${run.ok ? 'ok  ' : 'FAIL'} ${run.name}: ${run.detail}`);
      if (!run.ok) failures.push(`contract example ${run.name}`);
      stored.push(...run.stored);
      createdIds.push(...run.created);
    }
  } finally {
    await relay.close();
  }
  return { stored, createdIds };
}

/** Step 4: the Cases of this run are in the org, and Disconnected_Call__e announced each created one. */
async function checkOrgEffects(
  org: string,
  tag: string,
  sent: { stored: string[]; createdIds: string[] },
  deps: Deps,
  failures: string[]
): Promise<void> {
  const { sf, log } = deps;
  step(log, 'Cases and Disconnected_Call__e in the org');
  const query = await sfResult<{ records: Array<{ Connect_Contact_Id__c: string }> }>(sf, [
    'data',
    'query',
    '--target-org',
    org,
    '--query',
    `SELECT Connect_Contact_Id__c FROM Case WHERE Connect_Contact_Id__c LIKE '${tag}-%'`
  ]);
  const found = new Set(query.records.map((r) => r.Connect_Contact_Id__c.toLowerCase()));
  const missing = [...new Set(sent.stored)].filter((id) => !found.has(id.toLowerCase()));
  log(`Cases: ${found.size} in the org for this run; ${missing.length} missing`);
  if (missing.length > 0) failures.push(`Cases missing: ${missing.join(', ')}`);

  const display = await sfResult<{ instanceUrl: string; accessToken: string }>(sf, [
    'org',
    'display',
    '--target-org',
    org
  ]);
  const wanted = new Set(sent.createdIds.map((id) => id.toLowerCase()));
  const seen = (events: EventMessage[]): Set<string> =>
    new Set(
      events
        .map((e) => String(e.data?.payload?.Connect_Contact_Id__c ?? '').toLowerCase())
        .filter((id) => wanted.has(id))
    );
  const events = await deps.events({
    instanceUrl: display.instanceUrl,
    accessToken: display.accessToken,
    channel: EVENT_CHANNEL,
    replayId: -2,
    done: (so) => seen(so).size >= wanted.size,
    timeoutMs: deps.eventTimeoutMs
  });
  const got = seen(events);
  log(`Disconnected_Call__e: ${got.size} of ${wanted.size} created Cases announced`);
  if (got.size < wanted.size) failures.push('platform events missing');
}

export async function testOrg(options: Options, deps: Deps): Promise<boolean> {
  const { sf, log } = deps;
  const org = options.targetOrg;
  const failures: string[] = [];

  step(log, `Org ${org}`);
  const reuse = await orgExists(sf, org);
  log(reuse ? `Reusing ${org}: deploying and setting it up again` : `Creating scratch org ${org}`);
  const setupArgs = [
    '--alias',
    org,
    ...(reuse ? ['--skip-create'] : []),
    ...(options.devHub ? ['--dev-hub', options.devHub] : [])
  ];
  const setupCode = await deps.setup(setupArgs);
  const cleanup = cleanupOnce(org, !reuse && setupCode !== 2, options, deps);
  if (setupCode !== 0) {
    failures.push(`setup-scratch-org.sh exited ${setupCode}`);
    await cleanup(null);
    return report(failures, log);
  }

  const settingsFile = join(deps.stageDir, `relay-settings-${org}.json`);
  const settings = existsSync(settingsFile) ? readSettings(settingsFile) : null;

  step(log, 'Apex tests (RunLocalTests, coverage per class)');
  const verdict = judgeTestRun(await runLocalApexTests(sf, org), deps.classes(), options.minCoverage);
  verdict.lines.forEach((line) => log(line));
  if (!verdict.ok) failures.push('Apex tests or coverage');

  step(log, 'Contract examples through the relay (JWT bearer as the integration user)');
  const tag = deps.runTag;
  if (!settings || settings.manualStepsLeft > 0 || settings.clientId.startsWith('<')) {
    failures.push(
      'relay settings incomplete: finish the manual steps the setup script listed, then run again'
    );
  } else {
    const sent = await sendContractExamples(settings, tag, deps, failures);
    await checkOrgEffects(org, tag, sent, deps, failures);
  }

  await cleanup(tag);
  return report(failures, log);
}

function report(failures: string[], log: Log): boolean {
  if (failures.length > 0) {
    log(`\ntest:org FAILED: ${failures.join('; ')}`);
    return false;
  }
  log('\ntest:org passed: deployed, Apex tests and coverage, contract through the relay, Cases and events');
  return true;
}

function runSetup(args: string[]): Promise<number> {
  return new Promise((resolveCode) => {
    const child = spawn('bash', [join(ROOT, 'scripts', 'setup-scratch-org.sh'), ...args], {
      cwd: ROOT,
      stdio: 'inherit'
    });
    child.on('close', (code) => resolveCode(code ?? 1));
  });
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(
      `test:org: ${(error as Error).message}\n${readFileSync(__filename, 'utf8').split('\n').slice(1, 13).join('\n')}`
    );
    return 2;
  }
  const ok = await testOrg(options, {
    sf: cliRunner(),
    setup: runSetup,
    poster: relayPoster,
    events: collectEvents,
    log: (line) => console.log(line),
    runTag: `to${Date.now().toString(36)}`,
    stageDir: join(ROOT, '.sf-stage'),
    classes: () => projectClasses(),
    eventTimeoutMs: 90_000
  });
  return ok ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`test:org: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  );
}
