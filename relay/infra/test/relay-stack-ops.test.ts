// Template tests for what an operator relies on when things go wrong: a required alarm destination, the
// alarms, retries bounded by record age, reserved concurrency, and where the mapping starts reading.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { SettingsError } from '../lib/settings';
import { ALARMS, INSTANCE_ARN, relayFunctionResource, SECRET_ARN, STREAM_ARN, synth } from './support';

function settingsError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError);
    return (e as Error).message;
  }
  throw new Error('expected a SettingsError');
}

type Alarm = { Properties: Record<string, unknown> };
function alarm(template: Template, idPrefix: string): Record<string, unknown> {
  const all = template.findResources('AWS::CloudWatch::Alarm');
  const ids = Object.keys(all).filter((id) => id.startsWith(idPrefix));
  expect(ids).toHaveLength(1);
  return (all[ids[0] as string] as Alarm).Properties;
}

describe('alarm destination', () => {
  it('is required when the relay is enabled: synth fails with a message that says what to set', () => {
    const message = settingsError(() => synth({ relayEnabled: true }));
    expect(message).toContain(
      'relayEnabled=true needs an alarm destination: set alarmEmail (a new SNS topic with that subscription) or alarmTopicArn (an existing topic)'
    );
    // An existing secret enables the relay by default: the same rule applies, from context too.
    expect(settingsError(() => synth({}, { existingSecretArn: SECRET_ARN }))).toContain(
      'needs an alarm destination'
    );
    expect(() =>
      synth({ relayEnabled: true, alarmTopicArn: 'arn:aws:sns:us-east-1:111122223333:ops' })
    ).not.toThrow();
  });

  it('is optional while the relay is disabled (first deploy with the placeholder secret)', () => {
    expect(() => synth({ connectInstanceArn: INSTANCE_ARN })).not.toThrow();
  });
});

describe('alarms of an enabled relay', () => {
  const { template } = synth({ relayEnabled: true, ...ALARMS });

  it('notify the topic on ALARM and OK, every one of them', () => {
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).map((id) =>
      id.replace(/[A-F0-9]{8}$/, '')
    );
    expect(alarms.sort()).toEqual(
      [
        'AuthFailuresAlarm',
        'CertificateExpiryAlarm',
        'DestinationDeliveryFailuresAlarm',
        'FailedBatchesAlarm',
        'FailedBatchesExpiringAlarm',
        'ParkedRecordsAlarm',
        'ParkedRecordsExpiringAlarm',
        'RelayDeliveryLatencyAlarm',
        'RelayErrorsAlarm',
        'RelayFailedRecordsAlarm',
        'RelayIteratorAgeAlarm',
        'RelayNotInvokedAlarm',
        'RelayThrottlesAlarm',
        'StreamIteratorAgeAlarm'
      ].sort()
    );
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }]
    });
  });

  it('treat a stream nobody reads as breaching, but not a quiet relay', () => {
    expect(alarm(template, 'StreamIteratorAgeAlarm')).toMatchObject({
      Namespace: 'AWS/Kinesis',
      MetricName: 'GetRecords.IteratorAgeMilliseconds',
      TreatMissingData: 'breaching'
    });
    // Lambda publishes IteratorAge only on invocations: no data at night is normal.
    expect(alarm(template, 'RelayIteratorAgeAlarm')).toMatchObject({
      MetricName: 'IteratorAge',
      TreatMissingData: 'notBreaching'
    });
    // A disabled mapping reads nothing by design.
    const disabled = synth({}).template;
    expect(alarm(disabled, 'StreamIteratorAgeAlarm')).toMatchObject({ TreatMissingData: 'notBreaching' });
  });

  it('alarm when the stream receives records but the relay is not invoked', () => {
    const props = alarm(template, 'RelayNotInvokedAlarm') as {
      Metrics: { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
    };
    const expression = props.Metrics.find((m) => m.Expression !== undefined);
    expect(expression?.Expression).toBe('IF(FILL(incoming, 0) > 0 AND FILL(invocations, 0) == 0, 1, 0)');
    const inputs = Object.fromEntries(
      props.Metrics.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat?.Metric.MetricName])
    );
    expect(inputs).toEqual({ incoming: 'IncomingRecords', invocations: 'Invocations' });
    expect(props).toMatchObject({ EvaluationPeriods: 2, DatapointsToAlarm: 2, Threshold: 1 });
  });

  it('alarm on throttles, destination delivery failures and authentication failures', () => {
    expect(alarm(template, 'RelayThrottlesAlarm')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      EvaluationPeriods: 3
    });
    expect(alarm(template, 'DestinationDeliveryFailuresAlarm')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'DestinationDeliveryFailures',
      Threshold: 1
    });
    // The relay's own EMF metrics, per function.
    expect(alarm(template, 'AuthFailuresAlarm')).toMatchObject({
      Namespace: 'DroppedCallCallbacks/Relay',
      MetricName: 'authFailures',
      Dimensions: [{ Name: 'Relay', Value: { Ref: expect.stringMatching(/^RelayFunction/) } }],
      Threshold: 1
    });
    expect(alarm(template, 'CertificateExpiryAlarm')).toMatchObject({
      MetricName: 'certificateDaysLeft',
      Statistic: 'Minimum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 30
    });
  });

  it('warn two days before a failed batch or a parked record expires (replay window closing)', () => {
    for (const prefix of ['FailedBatchesExpiringAlarm', 'ParkedRecordsExpiringAlarm']) {
      expect(alarm(template, prefix)).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Threshold: 12 * 86400
      });
    }
    const short = synth({ relayEnabled: true, ...ALARMS, failedBatchRetentionDays: 4 }).template;
    expect(alarm(short, 'FailedBatchesExpiringAlarm')).toMatchObject({ Threshold: 2 * 86400 });
  });
});

describe('retries and concurrency', () => {
  it('retries until maxRecordAgeSeconds (-1 = unlimited attempts) unless a number is given', () => {
    synth().template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: 21600
    });
    synth({}, { retryAttempts: '50' }).template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      MaximumRetryAttempts: 50
    });
  });

  it('reserves shards × parallelizationFactor, 10 when the shard count is unknown, none on request', () => {
    const reserved = (settings: Parameters<typeof synth>[0]): unknown =>
      relayFunctionResource(synth(settings).template).Properties.ReservedConcurrentExecutions;
    expect(reserved({ shardCount: 3, parallelizationFactor: 4 })).toBe(12);
    expect(reserved({ shardCount: 0 })).toBe(10);
    expect(reserved({ existingStreamArn: STREAM_ARN })).toBe(10);
    expect(reserved({ reservedConcurrency: 7 })).toBe(7);
    expect(reserved({ reservedConcurrency: 'none' })).toBeUndefined();
  });

  it('refuses a function timeout too short for delivery plus the parking budget', () => {
    expect(settingsError(() => synth({}, { timeoutSeconds: '20' }))).toContain(
      'timeoutSeconds must be an integer from 30 to 900'
    );
  });
});

describe('starting position', () => {
  it('supports AT_TIMESTAMP (ISO 8601 with a zone, or Unix seconds) and says what the mapping reads first', () => {
    const { template } = synth(
      {},
      { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: '2026-11-28T06:00:00Z' }
    );
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'AT_TIMESTAMP',
      StartingPositionTimestamp: 1795845600
    });
    template.hasOutput('MappingStart', {
      Value:
        'AT_TIMESTAMP 2026-11-28T06:00:00.000Z: records from that time on; those older than 21600 s when read go to the failed-batch bucket'
    });
    synth({
      startingPosition: 'AT_TIMESTAMP',
      startingPositionTimestamp: 1795845600
    }).template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPositionTimestamp: 1795845600
    });
  });

  it('says what TRIM_HORIZON and LATEST read first, and sets no timestamp for them', () => {
    const trim = synth().template;
    trim.hasOutput('MappingStart', {
      Value: Match.stringLikeRegexp('^TRIM_HORIZON: every record the stream still holds')
    });
    trim.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPositionTimestamp: Match.absent()
    });
    synth({ startingPosition: 'LATEST' }).template.hasOutput('MappingStart', {
      Value: Match.stringLikeRegexp('^LATEST: only records that arrive after the mapping is created')
    });
  });

  it('rejects AT_TIMESTAMP without a time, a time without a zone, and a time without AT_TIMESTAMP', () => {
    expect(settingsError(() => synth({}, { startingPosition: 'AT_TIMESTAMP' }))).toContain(
      'startingPosition AT_TIMESTAMP needs startingPositionTimestamp'
    );
    expect(
      settingsError(() =>
        synth({}, { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: '2026-11-28T06:00:00' })
      )
    ).toContain('startingPositionTimestamp must be an ISO 8601 time with a zone');
    expect(settingsError(() => synth({}, { startingPositionTimestamp: '1795845600' }))).toContain(
      'startingPositionTimestamp only applies with startingPosition AT_TIMESTAMP'
    );
  });
});
