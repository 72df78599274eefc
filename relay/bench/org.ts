/**
 * The org side of the bench: the local org emulator (the same one `npm start` uses) with a fixed latency added to
 * every request (token and API alike), and a relay configured against it. One key pair per bench run.
 */
import { generateKeyPairSync } from 'node:crypto';
import { loadConfig, type RelayConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createRelay, type Relay } from '../src/relay';
import { startOrgEmulator, type OrgEmulator } from '../local/org-emulator';

export const CLIENT_ID = 'bench-client';
export const CLIENT_SECRET = 'bench-secret';
export const USERNAME = 'bench@local.emulator';

const keys = ((): { privateKey: string; publicKey: string } => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()
  };
})();

/** A fresh emulator (no Cases) answering every request after `latencyMs`. */
export async function startEmulator(latencyMs: number): Promise<OrgEmulator> {
  const emulator = await startOrgEmulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    username: USERNAME,
    jwtPublicKey: keys.publicKey
  });
  if (latencyMs > 0) emulator.injectFault({ kind: 'latency', latencyMs, rate: 1, target: 'all' });
  return emulator;
}

/** Relay settings for the emulator: JWT bearer (the shipped flow), silent logs, the default policy unless given. */
export function relayConfig(emulator: OrgEmulator, policy?: Record<string, unknown>): RelayConfig {
  return loadConfig({
    SF_AUTH_FLOW: 'jwt',
    SF_LOGIN_URL: emulator.url,
    SF_CLIENT_ID: CLIENT_ID,
    SF_USERNAME: USERNAME,
    SF_PRIVATE_KEY: keys.privateKey,
    LOG_LEVEL: 'silent',
    ...(policy ? { RELAY_POLICY: JSON.stringify(policy) } : {})
  });
}

export function benchRelay(emulator: OrgEmulator, policy?: Record<string, unknown>): Relay {
  return createRelay(relayConfig(emulator, policy), { logger: createLogger({ level: 'silent' }) });
}

/** Environment for a relay process (cold init): the same settings, as the Lambda gets them. */
export function relayEnv(loginUrl: string): Record<string, string> {
  return {
    SF_AUTH_FLOW: 'jwt',
    SF_LOGIN_URL: loginUrl,
    SF_CLIENT_ID: CLIENT_ID,
    SF_USERNAME: USERNAME,
    SF_PRIVATE_KEY: keys.privateKey,
    LOG_LEVEL: 'silent'
  };
}
