// CDK app entry (`npx cdk synth|deploy` from relay/infra). Settings come from context: see lib/settings.ts.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RelayStack } from '../lib/relay-stack';
import { SettingsError } from '../lib/settings';

const app = new App();
// cdk-nag AwsSolutions rules on every synth and deploy; kept findings are acknowledged in lib/nag.ts.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const stackName: unknown = app.node.tryGetContext('stackName');
// Env-agnostic unless account/region are given, so `cdk synth` works offline without credentials;
// `cdk deploy` then targets the account and region of the caller's AWS profile.
const account: unknown = app.node.tryGetContext('account') ?? process.env.CDK_DEFAULT_ACCOUNT;
const region: unknown = app.node.tryGetContext('region') ?? process.env.CDK_DEFAULT_REGION;

try {
  new RelayStack(app, 'ConnectCtrRelay', {
    stackName: typeof stackName === 'string' && stackName !== '' ? stackName : undefined,
    env: typeof account === 'string' && typeof region === 'string' ? { account, region } : undefined,
    description: 'Amazon Connect dropped-call relay: CTR stream → Lambda → Salesforce Cases'
  });
} catch (error) {
  // A settings mistake is the user's to fix: print the list of problems, not a stack trace.
  if (!(error instanceof SettingsError)) throw error;
  console.error(error.message);
  process.exit(1);
}
