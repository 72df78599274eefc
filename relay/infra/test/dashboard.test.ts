// Template tests for the relay's CloudWatch dashboard and the alarms on its own metrics (Embedded Metric Format on
// the batch log line, relay/src/metrics.ts): the widgets show those metrics, the alarms watch them.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { COUNT_METRICS, LATENCY_METRIC, METRIC_DIMENSION, METRIC_NAMESPACE } from '../../src/metrics';
import { AUTH_FAILURES_METRIC, CERTIFICATE_DAYS_LEFT_METRIC } from '../../src/ops-metrics';
import { DELIVERY_LATENCY_ALARM_MS, FAILED_PERIODS_ALARM } from '../lib/dashboard';
import { RelayStack } from '../lib/relay-stack';

const app = new App();
const stack = new RelayStack(app, 'DashRelay', {
  settings: { alarmEmail: 'ops@example.com' },
  lambdaCode: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });')
});
const template = Template.fromStack(stack);

/** The dashboard body with its tokens resolved the way CloudFormation would join them (Refs become names). */
function dashboardBody(): { widgets: Widget[] } {
  const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
  expect(Object.keys(dashboards)).toHaveLength(1);
  const body = (Object.values(dashboards)[0] as { Properties: { DashboardBody: unknown } }).Properties
    .DashboardBody;
  const text = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
    .map((part) => (typeof part === 'string' ? part : `\${${JSON.stringify(part)}}`))
    .join('');
  return JSON.parse(
    text.replace(/\$\{\{"Ref":"([^"]+)"\}\}/g, 'REF:$1').replace(/\$\{[^}]*\}\}?/g, 'TOKEN')
  ) as {
    widgets: Widget[];
  };
}

interface Widget {
  type: string;
  properties: { title?: string; metrics?: unknown[][]; markdown?: string; alarms?: unknown[] };
}

// The relay's function (CDK's bucket-notification handler is another Lambda function in the stack).
const functionRef = Object.keys(template.findResources('AWS::Lambda::Function')).find((id) =>
  id.startsWith('RelayFunction')
) as string;

/** [metricName, stat?] of every relay metric a widget plots (["ns", name, "Relay", fn, {opts}] rows). */
function relayMetricsOf(widget: Widget): string[] {
  return (widget.properties.metrics ?? [])
    .filter((row) => row[0] === METRIC_NAMESPACE)
    .map((row) => {
      expect(row[2]).toBe(METRIC_DIMENSION);
      expect(row[3]).toBe(`REF:${functionRef}`);
      const opts = row[4] as { stat?: string } | undefined;
      return `${String(row[1])}${opts?.stat ? `:${opts.stat}` : ''}`;
    });
}

describe('relay dashboard', () => {
  const widgets = dashboardBody().widgets;
  const byTitle = (title: string): Widget => {
    const w = widgets.find((x) => x.properties.title === title);
    if (!w)
      throw new Error(`no widget "${title}" among ${widgets.map((x) => x.properties.title).join(', ')}`);
    return w;
  };

  it('has one widget per figure, each plotting the relay metrics of this function', () => {
    expect(widgets.map((w) => w.properties.title ?? w.type)).toEqual([
      'text',
      'Totals for the time range',
      'Drops forwarded and resolved',
      'Contacts skipped, by category',
      'Parked and failed records',
      'Salesforce requests',
      'Delivery latency: Connect → callback Case (ms)',
      'Iterator age (ms behind the stream)',
      'Alarms'
    ]);
    const sums = (...names: string[]): string[] => names.map((n) => `${n}:Sum`);
    expect(relayMetricsOf(byTitle('Totals for the time range'))).toEqual(
      sums('forwarded', 'resolved', 'skipped', 'parked', 'failed')
    );
    expect(relayMetricsOf(byTitle('Drops forwarded and resolved'))).toEqual(sums('forwarded', 'resolved'));
    expect(relayMetricsOf(byTitle('Parked and failed records'))).toEqual(sums('parked', 'failed'));
    expect(relayMetricsOf(byTitle('Salesforce requests'))).toEqual(sums('requests'));
    expect(relayMetricsOf(byTitle('Delivery latency: Connect → callback Case (ms)'))).toEqual([
      `${LATENCY_METRIC}:p50`,
      `${LATENCY_METRIC}:p90`,
      `${LATENCY_METRIC}:Maximum`
    ]);
    // Every count the relay publishes is on the dashboard.
    const shown = new Set(widgets.flatMap(relayMetricsOf).map((m) => m.split(':')[0]));
    for (const name of Object.keys(COUNT_METRICS)) expect(shown).toContain(name);
  });

  it('plots every skip category with a search on the relay namespace, not the total', () => {
    const rows = byTitle('Contacts skipped, by category').properties.metrics ?? [];
    expect(rows).toHaveLength(1);
    const expression = (rows[0]?.[0] as { expression: string }).expression;
    expect(expression).toContain(`SEARCH('{${METRIC_NAMESPACE},${METRIC_DIMENSION}}`);
    expect(expression).toContain('MetricName=skipped NOT MetricName="skipped"');
  });

  it('shows the state of every alarm of the stack', () => {
    const alarms = byTitle('Alarms').properties.alarms ?? [];
    expect(alarms).toHaveLength(stack.alarms.length);
    expect(stack.alarms.length).toBeGreaterThanOrEqual(7);
  });

  it('is linked from the stack outputs', () => {
    template.hasOutput('DashboardUrl', {
      Value: Match.objectLike({ 'Fn::Join': Match.anyValue() })
    });
  });
});

describe('alarms on the relay metrics', () => {
  const relayDimension = [{ Name: METRIC_DIMENSION, Value: { Ref: functionRef } }];

  it('alarms when records are left for retry in consecutive periods', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRIC_NAMESPACE,
      MetricName: 'failed',
      Dimensions: relayDimension,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: FAILED_PERIODS_ALARM,
      DatapointsToAlarm: FAILED_PERIODS_ALARM,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }]
    });
  });

  it('alarms when the 90th percentile delivery latency passes the threshold', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRIC_NAMESPACE,
      MetricName: LATENCY_METRIC,
      Dimensions: relayDimension,
      ExtendedStatistic: 'p90',
      Threshold: DELIVERY_LATENCY_ALARM_MS,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }]
    });
  });

  it('names only metrics the relay publishes', () => {
    // The batch metrics, and the handler's operational ones (relay/src/ops-metrics.ts: alarms.ts).
    const published = new Set([
      ...Object.keys(COUNT_METRICS),
      LATENCY_METRIC,
      AUTH_FAILURES_METRIC,
      CERTIFICATE_DAYS_LEFT_METRIC
    ]);
    const ours = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((a) => (a as { Properties: { Namespace?: string; MetricName?: string } }).Properties)
      .filter((p) => p.Namespace === METRIC_NAMESPACE);
    expect(ours.length).toBe(4);
    for (const p of ours) expect(published).toContain(p.MetricName);
  });
});
