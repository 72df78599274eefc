/**
 * The handler's operational metrics (authentication failures, days left on the JWT certificate) as EMF lines: the
 * names and the dimension the stack's alarms look for, the unit, and a whole-millisecond timestamp.
 */
import {
  AUTH_FAILURES_METRIC,
  CERTIFICATE_DAYS_LEFT_METRIC,
  emfLine,
  METRIC_DIMENSION,
  METRIC_NAMESPACE,
  relayName
} from '../src/ops-metrics';

describe('emfLine', () => {
  it('publishes counts by default, under the relay namespace and dimension', () => {
    expect(emfLine('TestRelay-fn', { [AUTH_FAILURES_METRIC]: 1 }, 1_700_000_000_000.4)).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: 'DroppedCallCallbacks/Relay',
            Dimensions: [['Relay']],
            Metrics: [{ Name: 'authFailures', Unit: 'Count' }]
          }
        ]
      },
      Relay: 'TestRelay-fn',
      authFailures: 1
    });
  });

  it('publishes a gauge without a unit, every value named', () => {
    const line = emfLine('r', { [CERTIFICATE_DAYS_LEFT_METRIC]: -2, other: 3 }, 9.5, 'None');
    expect(line).toMatchObject({ Relay: 'r', certificateDaysLeft: -2, other: 3 });
    expect(line._aws).toEqual({
      Timestamp: 10,
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [[METRIC_DIMENSION]],
          Metrics: [
            { Name: 'certificateDaysLeft', Unit: 'None' },
            { Name: 'other', Unit: 'None' }
          ]
        }
      ]
    });
  });
});

describe('relayName', () => {
  it('is the Lambda function name, else ctr-relay', () => {
    expect(relayName({ AWS_LAMBDA_FUNCTION_NAME: 'TestRelay-fn' })).toBe('TestRelay-fn');
    expect(relayName({})).toBe('ctr-relay');
  });
});
