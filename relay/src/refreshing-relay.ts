/**
 * The relay a warm Lambda container keeps across invocations, built from the environment merged with the
 * Secrets Manager secret. The secret is re-read every `refreshMs` and when marked stale (Salesforce refused the
 * credentials); the relay is rebuilt only when the credentials or settings changed, so its token and connections
 * survive a re-read that changed nothing.
 */
import { createHash } from 'node:crypto';
import { ConfigError, loadConfig, type RelayConfig } from './config';
import type { Logger } from './logger';
import { CERTIFICATE_DAYS_LEFT_METRIC } from './ops-metrics';
import { createRelay, type Relay, type RelayDeps } from './relay';
import { resolveSecretEnv, type SecretReader } from './secrets';

export interface RefreshingRelayOptions {
  env: NodeJS.ProcessEnv;
  secrets?: SecretReader;
  deps?: RelayDeps;
  logger: Logger;
  now: () => number;
  refreshMs: number;
  metric: (name: string, value: number) => void;
}

export interface RefreshingRelay {
  /**
   * The relay to use now, after re-reading the secret when it is due. Throws a ConfigError for invalid settings,
   * and any error while no relay was built yet; a failed re-read with a relay already built keeps that relay.
   */
  ensure(): Promise<Relay>;
  /** Makes the next ensure() re-read the secret (the key may have been rotated). */
  markStale(): void;
  /** The relay built last, if any: a different one after ensure() means it was rebuilt. */
  current(): Relay | undefined;
}

/** What identifies the credentials and settings a relay was built from (never logged). */
function fingerprintOf(env: NodeJS.ProcessEnv, problems: readonly string[]): string {
  const relevant = Object.keys(env)
    .filter((k) => k.startsWith('SF_') || k.startsWith('RELAY_') || k === 'DLQ_URL' || k === 'LOG_LEVEL')
    .sort()
    .map((k) => [k, env[k]]);
  return createHash('sha256')
    .update(JSON.stringify([relevant, problems]))
    .digest('hex');
}

/** Reports the JWT certificate's days left as a metric, and warns when it is under 30. */
function reportCertificate(config: RelayConfig, options: RefreshingRelayOptions): void {
  if (config.auth.flow === 'jwt' && config.auth.certificate) {
    const daysLeft = Math.floor((config.auth.certificate.notAfterMs - options.now()) / 86_400_000);
    options.metric(CERTIFICATE_DAYS_LEFT_METRIC, daysLeft);
    if (daysLeft < 30) options.logger.warn('the JWT certificate expires soon: rotate the key', { daysLeft });
  }
}

/** Validates the settings and builds a relay from them; any failure is a ConfigError. */
function buildRelay(
  env: NodeJS.ProcessEnv,
  problems: string[],
  options: RefreshingRelayOptions
): { config: RelayConfig; relay: Relay } {
  const config = loadConfig(env, problems);
  try {
    return { config, relay: createRelay(config, { logger: options.logger, ...options.deps }) };
  } catch (err) {
    // e.g. a private key with a PEM header that node:crypto cannot read.
    throw new ConfigError([`the credentials could not be used: ${(err as Error).message}`]);
  }
}

export function createRefreshingRelay(options: RefreshingRelayOptions): RefreshingRelay {
  const { logger, now } = options;
  let current: { relay: Relay; fingerprint: string } | undefined;
  let broken: { error: ConfigError; fingerprint: string } | undefined;
  let readAtMs = Number.NEGATIVE_INFINITY;
  let stale = false;

  /** Reads the secret; rebuilds the relay only when credentials or settings changed. */
  const refresh = async (): Promise<void> => {
    const resolved = await resolveSecretEnv(options.env, options.secrets);
    readAtMs = now();
    stale = false;
    const fingerprint = fingerprintOf(resolved.env, resolved.problems);
    if (current?.fingerprint === fingerprint) return;
    if (broken?.fingerprint === fingerprint) throw broken.error;
    let built: { config: RelayConfig; relay: Relay };
    try {
      built = buildRelay(resolved.env, resolved.problems, options);
    } catch (err) {
      // Stryker disable next-line ConditionalExpression: buildRelay throws nothing but ConfigError
      if (err instanceof ConfigError) broken = { error: err, fingerprint };
      throw err;
    }
    const previous = current;
    current = { relay: built.relay, fingerprint };
    broken = undefined;
    if (previous) {
      logger.info('credentials or settings changed; relay rebuilt', {});
      await previous.relay.close();
    }
    reportCertificate(built.config, options);
  };

  const ensure = async (): Promise<Relay> => {
    if (current && !stale && !broken && now() - readAtMs < options.refreshMs) return current.relay;
    try {
      await refresh();
    } catch (err) {
      if (err instanceof ConfigError || !current) {
        // Invalid configuration, or no credentials yet: fail the invocation, the records stay on the stream.
        logger.error('relay initialisation failed', { error: (err as Error).message });
        throw err;
      }
      // A Secrets Manager outage: keep going with the credentials already loaded.
      logger.warn('re-reading the secret failed; using the credentials already loaded', {
        error: (err as Error).message
      });
    }
    return (current as { relay: Relay }).relay;
  };

  return {
    ensure,
    markStale: () => {
      stale = true;
    },
    current: () => current?.relay
  };
}
