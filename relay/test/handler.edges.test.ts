/**
 * The Lambda handler's timing and rebuild rules the main handler suites do not pin down: which settings make a
 * warm container rebuild its relay, the parking deadline it hands the relay, how long it backs off when little
 * time is left, the back-off arithmetic itself, and where its metrics go by default.
 */
import type { Context } from 'aws-lambda';
import { Agent } from 'undici';
import { backoffFor, createHandler, type HandlerOptions } from '../src/handler';
import type { ParkedRecord, ParkSink } from '../src/park';
import type { FakeSalesforce } from './support/fakeSalesforce';
import {
  abandonedCtr,
  type CapturedLogger,
  captureLogger,
  fakeSleep,
  handlerEnv,
  kinesisEvent,
  kinesisRecord,
  startFakeOrgSession,
  stopFakeOrgSession
} from './support/kit';

jest.setTimeout(30_000);

function context(remainingMs = 60_000): Context {
  return { awsRequestId: 'req-edges', getRemainingTimeInMillis: () => remainingMs } as unknown as Context;
}

const drop = (contactId: string) => kinesisEvent([kinesisRecord(abandonedCtr({ ContactId: contactId }))]);

describe('backoffFor', () => {
  it('waits nothing without failures, then doubles from the base up to the cap', () => {
    expect([-1, 0, 1, 2, 3, 7, 8].map((n) => backoffFor(n))).toEqual([
      0, 0, 1_000, 2_000, 4_000, 60_000, 60_000
    ]);
    expect(backoffFor(3, 10, 1_000)).toBe(40);
  });

  it('stops doubling after 30 failures even without a cap', () => {
    expect(backoffFor(31, 1, Number.MAX_SAFE_INTEGER)).toBe(2 ** 30);
    expect(backoffFor(45, 1, Number.MAX_SAFE_INTEGER)).toBe(2 ** 30);
  });
});

describe('Lambda handler edges', () => {
  let sf: FakeSalesforce;
  let dispatcher: Agent;
  let logger: CapturedLogger;

  beforeEach(async () => {
    ({ sf, dispatcher } = await startFakeOrgSession());
    logger = captureLogger();
  });
  afterEach(() => stopFakeOrgSession({ sf, dispatcher }));

  function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return handlerEnv(sf, extra);
  }

  const rebuilds = () =>
    logger.lines.filter((l) => l.message === 'credentials or settings changed; relay rebuilt').length;

  it('rebuilds its relay when a Salesforce, relay, DLQ_URL or LOG_LEVEL setting changes, and only then', async () => {
    const settings = env();
    const h = createHandler({
      env: settings,
      secretRefreshMs: 0,
      deps: { logger, dispatcher, sleep: fakeSleep().sleep }
    });
    await h(drop('fp-0'), context());

    const steps: [string, string][] = [
      ['HOME', '/elsewhere'],
      ['AWS_REGION', 'eu-west-1'],
      ['SF_MAX_ATTEMPTS', '3'],
      ['RELAY_POLICY', '{"attributeAllowlist": ["intent"]}'],
      ['DLQ_URL', 'https://sqs.us-east-1.amazonaws.com/111122223333/dlq'],
      ['LOG_LEVEL', 'warn']
    ];
    const seen: number[] = [];
    for (const [i, [key, value]] of steps.entries()) {
      settings[key] = value;
      await h(drop(`fp-${i + 1}`), context());
      seen.push(rebuilds());
    }

    expect(seen).toEqual([0, 0, 1, 2, 3, 4]);
    expect([...sf.store.keys()].sort()).toEqual(['fp-0', 'fp-1', 'fp-2', 'fp-3', 'fp-4', 'fp-5', 'fp-6']);
  });

  it('keeps parking until half a second before the timeout, or an eighth of a short remaining time', async () => {
    const clock = Date.now();
    const deadlines: (number | undefined)[] = [];
    const parkSink: ParkSink = {
      name: 'deadline',
      park(records: readonly ParkedRecord[], deadlineMs?: number) {
        deadlines.push(deadlineMs);
        return Promise.resolve([]);
      }
    };
    const h = createHandler({
      env: env(),
      deps: { logger, dispatcher, sleep: fakeSleep().sleep, now: () => clock, parkSink }
    });
    const invalid = kinesisEvent([kinesisRecord('not json')]);

    await h(invalid, context(60_000));
    await h(invalid, context(2_000));

    expect(deadlines).toEqual([clock + 60_000 - 500, clock + 2_000 - 250]);
  });

  describe('back-off with little time left', () => {
    function handler(options: Partial<HandlerOptions> = {}) {
      const sleeps = fakeSleep();
      const clock = Date.now();
      const h = createHandler({
        env: env(),
        ...options,
        deps: { logger, dispatcher, sleep: sleeps.sleep, now: () => clock }
      });
      return { h, delays: sleeps.delays };
    }

    it('waits at most half of what is left after the safety margin', async () => {
      const { h, delays } = handler();
      sf.script.push({ status: 403 }, { status: 403 });

      await h(drop('short-1'), context(60_000));
      await h(drop('short-1'), context(5_000)); // (5,000 - 4,000) / 2 = 500 < 1,000
      await h(drop('short-1'), context(60_000));

      expect(delays).toEqual([500, 2_000]);
      expect(sf.store.has('short-1')).toBe(true);
      expect(
        logger.lines.filter((l) => l.message === 'backing off after failures that retrying cannot fix soon')
      ).toEqual([
        expect.objectContaining({ level: 'warn', failuresInARow: 1, waitMs: 500 }),
        expect.objectContaining({ level: 'warn', failuresInARow: 2, waitMs: 2_000 })
      ]);
    });

    it('does not wait when no time is left beyond the margin (its own margin too)', async () => {
      const { h, delays } = handler({ safetyMarginMs: 1_000 });
      sf.script.push({ status: 404 });

      await h(drop('short-2'), context(60_000));
      await h(drop('short-2'), context(1_001)); // (1,001 - 1,000) / 2 rounds down to 0

      expect(delays).toEqual([]);
      expect(sf.store.has('short-2')).toBe(true);
    });
  });

  it('writes its metrics as JSON lines on stdout by default', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const h = createHandler({
        env: env({ SF_USERNAME: 'not-approved@example.com', AWS_LAMBDA_FUNCTION_NAME: 'relay-edges' }),
        deps: { logger, dispatcher, sleep: fakeSleep().sleep }
      });
      await h(drop('refused-1'), context());
    } finally {
      spy.mockRestore();
    }

    expect(written).toHaveLength(1);
    expect(written[0]?.endsWith('\n')).toBe(true);
    expect(JSON.parse(written[0] as string)).toMatchObject({
      message: 'metric authFailures',
      authFailures: 1,
      Relay: 'relay-edges'
    });
  });
});
