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
    async stop() {
      await emulator.stop();
      await kinesis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
