// cdk-nag AwsSolutions rules on the synthesized stack, in several configurations. Every finding is either
// fixed or acknowledged in lib/nag.ts with a written reason, so a new finding fails this test; and every
// acknowledgement is proven still needed (without them, synth fails on exactly those findings).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NAG_ACKNOWLEDGEMENTS } from '../lib/nag';
import { RelayStack, type RelayStackProps } from '../lib/relay-stack';

interface Violation {
  ruleName: string;
  violatingConstructs: { constructPath: string }[];
}
interface NagReport {
  conclusion: string;
  violations: Violation[];
  suppressedViolations: (Violation & { acknowledgedId: string; reason: string })[];
}

const VARIANTS: Record<string, RelayStackProps['settings']> = {
  'defaults (disabled, placeholder secret)': {},
  'enabled with an e-mail topic': { relayEnabled: true, alarmEmail: 'ops@example.com' },
  'existing stream, secret and keys, data readers, AT_TIMESTAMP': {
    alarmTopicArn: 'arn:aws:sns:us-east-1:111122223333:ops',
    existingStreamArn: 'arn:aws:kinesis:us-east-1:111122223333:stream/ctr',
    existingStreamKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    existingSecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:relay-AbC123',
    secretKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/9876abcd-12ab-34cd-56ef-1234567890ab',
    dataReaderArns: ['arn:aws:iam::111122223333:role/relay-operators'],
    startingPosition: 'AT_TIMESTAMP',
    startingPositionTimestamp: 1795000000
  }
};

function nagReport(settings: RelayStackProps['settings'], acknowledge: boolean): NagReport {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-nag-'));
  try {
    const app = new App({ outdir });
    new RelayStack(app, 'NagRelay', {
      settings,
      acknowledgeNagFindings: acknowledge,
      lambdaCode: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });')
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    try {
      app.synth();
    } catch {
      // A failed validation interrupts synthesis; the report below says why.
    }
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: NagReport[];
    };
    return report.pluginReports[0] as NagReport;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const findings = (violations: Violation[]): string[] =>
  violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}`)).sort();

describe.each(Object.entries(VARIANTS))('cdk-nag AwsSolutions: %s', (_name, settings) => {
  it('passes, every remaining finding acknowledged with a reason', () => {
    const report = nagReport(settings, true);
    expect(findings(report.violations)).toEqual([]);
    expect(report.conclusion).toBe('success');
    for (const s of report.suppressedViolations) expect(s.reason.length).toBeGreaterThan(40);
  });
});

describe('cdk-nag acknowledgements', () => {
  it('are each still needed: without them synth fails on exactly those findings', () => {
    const acknowledged = new Set<string>();
    for (const settings of Object.values(VARIANTS)) {
      const report = nagReport(settings, false);
      expect(report.conclusion).toBe('failure');
      for (const v of report.violations) {
        for (const c of v.violatingConstructs) {
          const ack = NAG_ACKNOWLEDGEMENTS.find(
            (a) => c.constructPath.startsWith(`NagRelay/${a.path}/`) && a.id.includes(v.ruleName)
          );
          expect(ack ? 'acknowledged' : `${v.ruleName} ${c.constructPath}`).toBe('acknowledged');
          if (ack) acknowledged.add(`${ack.path} ${ack.id}`);
        }
      }
    }
    expect([...acknowledged].sort()).toEqual(NAG_ACKNOWLEDGEMENTS.map((a) => `${a.path} ${a.id}`).sort());
  });
});
