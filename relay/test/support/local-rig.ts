/** The local servers the consumer tests run against: kinesalite, the org emulator (JWT user of `keys`) and a tmp dir. */
import type { KeyPairKeyObjectResult } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalKinesis, type LocalKinesis } from '../../local/kinesis-local';
import { startOrgEmulator, type OrgEmulator } from '../../local/org-emulator';

export interface LocalRig {
  kinesis: LocalKinesis;
  emulator: OrgEmulator;
  dir: string;
  /** What `ctr-relay consume`/`replay` need to reach this rig as the JWT user of `keys`, plus `extra`. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startLocalRig(keys: KeyPairKeyObjectResult, dirPrefix: string): Promise<LocalRig> {
  const kinesis = await startLocalKinesis();
  const emulator = await startOrgEmulator({
    clientId: 'consumer-key',
    username: 'relay@example.invalid',
    jwtPublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()
  });
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  return {
    kinesis,
    emulator,
    dir,
    env: (extra = {}) => ({
      KINESIS_ENDPOINT: kinesis.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'us-east-1',
      SF_AUTH_FLOW: 'jwt',
      SF_LOGIN_URL: emulator.url,
      SF_CLIENT_ID: 'consumer-key',
      SF_USERNAME: 'relay@example.invalid',
      SF_PRIVATE_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ...extra
    }),
    async stop() {
      await emulator.stop();
      await kinesis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
