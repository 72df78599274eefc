/**
 * Cold-start read of the Salesforce credentials from AWS Secrets Manager (SF_SECRET_ARN). The secret JSON
 * {clientId, username, privateKey, clientSecret, loginUrl, authFlow} is merged over the environment before
 * validation, so keys never need to live in plain Lambda environment variables.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type * as SecretsModule from '@aws-sdk/client-secrets-manager';
import type * as SmithyHttpModule from '@smithy/node-http-handler';
import { mergeSecret } from './config';

export type SecretReader = Pick<SecretsManagerClient, 'send'>;

/** The Secrets Manager SDK, loaded only when a secret is read (SF_SECRET_ARN): it is costly to load. */
function secretsSdk(): { secrets: typeof SecretsModule; http: typeof SmithyHttpModule } {
  /* eslint-disable @typescript-eslint/no-require-imports -- deliberately lazy, see above */
  return {
    secrets: require('@aws-sdk/client-secrets-manager') as typeof SecretsModule,
    http: require('@smithy/node-http-handler') as typeof SmithyHttpModule
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export function createSecretsClient(): SecretsManagerClient {
  const { secrets, http } = secretsSdk();
  return new secrets.SecretsManagerClient({
    maxAttempts: 3,
    requestHandler: new http.NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 5_000 })
  });
}

/**
 * Returns the environment with the secret merged in, plus configuration problems found in the secret (reported
 * together with the other settings by loadConfig). Network/permission errors are thrown: they are not config
 * mistakes a message could fix, and the next cold start should try again.
 */
export async function resolveSecretEnv(
  env: NodeJS.ProcessEnv,
  client?: SecretReader
): Promise<{ env: NodeJS.ProcessEnv; problems: string[] }> {
  const arn = (env.SF_SECRET_ARN ?? '').trim();
  if (arn === '') return { env, problems: [] };
  const reader = client ?? createSecretsClient();
  const { GetSecretValueCommand } = secretsSdk().secrets;
  const out = await reader.send(new GetSecretValueCommand({ SecretId: arn }));
  const text =
    out.SecretString ?? (out.SecretBinary ? Buffer.from(out.SecretBinary).toString('utf8') : undefined);
  if (text === undefined) return { env, problems: [`SF_SECRET_ARN: secret ${arn} has no value`] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { env, problems: [`SF_SECRET_ARN: secret ${arn} is not JSON`] };
  }
  return mergeSecret(env, parsed);
}
