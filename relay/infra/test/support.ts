// Shared helpers of the template tests: synth with the inline-code seam, and the relay role's statements.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RelayStack, type RelayStackProps } from '../lib/relay-stack';

export const INSTANCE_ARN =
  'arn:aws:connect:us-east-1:111122223333:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const STREAM_ARN = 'arn:aws:kinesis:us-east-1:111122223333:stream/existing-ctr-stream';
export const SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:111122223333:secret:connect-relay/salesforce-AbC123';
export const STREAM_KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const SECRET_KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/9876abcd-12ab-34cd-56ef-1234567890ab';

export function synth(
  settings: RelayStackProps['settings'] = {},
  context: Record<string, unknown> = {}
): { template: Template; stack: RelayStack } {
  const app = new App({ context });
  const stack = new RelayStack(app, 'TestRelay', {
    settings,
    lambdaCode: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });')
  });
  return { template: Template.fromStack(stack), stack };
}

export type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** Every statement of every inline policy attached to the relay role. */
export function relayRoleStatements(template: Template): Statement[] {
  const roles = template.findResources('AWS::IAM::Role', {
    Properties: {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })]
      })
    }
  });
  // The relay's role; CDK's bucket-notification custom resource has a Lambda role of its own.
  const roleIds = Object.keys(roles).filter((id) => id.startsWith('RelayRole'));
  expect(roleIds).toHaveLength(1);
  const policies = template.findResources('AWS::IAM::Policy');
  const statements: Statement[] = [];
  for (const policy of Object.values(policies)) {
    const props = policy.Properties as {
      Roles: { Ref: string }[];
      PolicyDocument: { Statement: Statement[] };
    };
    if (props.Roles.some((r) => r.Ref === roleIds[0])) statements.push(...props.PolicyDocument.Statement);
  }
  return statements;
}

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const resourcesOf = (s: Statement): unknown[] =>
  Array.isArray(s.Resource) ? s.Resource : [s.Resource];

/** An alarm destination, required whenever the relay is enabled. */
export const ALARMS = { alarmEmail: 'ops@example.com' } as const;

/** The relay function's resource (CDK's bucket-notification handler is a second Lambda function). */
export function relayFunctionResource(template: Template): { Properties: Record<string, unknown> } {
  const fns = template.findResources('AWS::Lambda::Function');
  const id = Object.keys(fns).find((k) => k.startsWith('RelayFunction'));
  expect(id).toBeDefined();
  return fns[id as string] as { Properties: Record<string, unknown> };
}
