/**
 * AWS Lambda entry point for the Kinesis event source (configure ReportBatchItemFailures and an on-failure
 * destination). Cold start: read the Secrets Manager secret (if SF_SECRET_ARN), validate the configuration and
 * build the relay once; warm invocations re-use it, including its cached access token and open connections.
 */
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { createRelay, type Relay, type RelayDeps } from './relay';
import { resolveSecretEnv, type SecretReader } from './secrets';

/**
 * Time kept back from the Lambda timeout for parking records and returning the response; at most a quarter of
 * the remaining time, so a short function timeout still leaves room to deliver.
 */
export const SAFETY_MARGIN_MS = 4_000;

export function deadlineFor(nowMs: number, remainingMs: number, marginMs: number = SAFETY_MARGIN_MS): number {
  return nowMs + remainingMs - Math.min(marginMs, Math.floor(remainingMs / 4));
}

export interface HandlerOptions {
  env?: NodeJS.ProcessEnv;
  deps?: RelayDeps;
  secrets?: SecretReader;
  safetyMarginMs?: number;
}

export type KinesisHandler = (
  event: KinesisStreamEvent,
  context: Context
) => Promise<KinesisStreamBatchResponse>;

export function createHandler(options: HandlerOptions = {}): KinesisHandler {
  const env = options.env ?? process.env;
  const now = options.deps?.now ?? Date.now;
  const logger =
    options.deps?.logger ?? createLogger({ level: env.LOG_LEVEL, base: { component: 'ctr-relay' } });
  let ready: Promise<Relay> | undefined;

  const init = async (): Promise<Relay> => {
    const resolved = await resolveSecretEnv(env, options.secrets);
    const config = loadConfig(resolved.env, resolved.problems);
    return createRelay(config, { logger, ...options.deps });
  };

  return async (event, context) => {
    ready ??= init().catch((err: unknown) => {
      // A bad configuration stays bad until redeployed; a Secrets Manager outage may pass, so try again next time.
      if (!(err instanceof ConfigError)) ready = undefined;
      logger.error('relay initialisation failed', { error: (err as Error).message });
      throw err;
    });
    // Failing the invocation keeps every record on the stream until the configuration is fixed.
    const relay = await ready;
    const remainingMs = context.getRemainingTimeInMillis();
    const deadlineMs = deadlineFor(now(), remainingMs, options.safetyMarginMs);
    // Parking may use the margin, up to half a second (or an eighth of the time) before the function's timeout.
    const parkDeadlineMs = now() + remainingMs - Math.min(500, Math.floor(remainingMs / 8));
    try {
      const report = await relay.processEvent(event, deadlineMs, { parkDeadlineMs });
      return { batchItemFailures: report.batchItemFailures };
    } catch (err) {
      // Unexpected bug: retry the whole batch rather than drop anything.
      logger.error('batch processing failed unexpectedly', { error: (err as Error).message });
      return {
        batchItemFailures: (event.Records ?? []).map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber }))
      };
    }
  };
}

export const handler: KinesisHandler = createHandler();
