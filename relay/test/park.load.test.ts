/**
 * The SQS SDK is loaded on the first park (relay/src/park.ts), not at cold start. Should it fail to load there
 * (a broken deployment package), the sink must not reject: it hands every record back, so the relay reports just
 * those for retry (nothing lost, nothing delivered twice), and it tries to load the SDK again on the next park.
 */
import { createSqsParkSink } from '../src/park';
import { FakeSqs } from './support/fakeSqs';
import { captureLogger } from './support/kit';
import { LOCAL_SQS_CREDENTIALS as credentials, parkedRecord as parked } from './support/parkRecords';

const mockSdk = { loads: 0, broken: true };
jest.mock('@aws-sdk/client-sqs', () => {
  mockSdk.loads += 1;
  if (mockSdk.broken) throw new Error("Cannot find module '@aws-sdk/client-sqs'");
  return jest.requireActual('@aws-sdk/client-sqs');
});

describe('SQS dead-letter sink whose SDK cannot be loaded', () => {
  let sqs: FakeSqs;
  beforeEach(async () => {
    sqs = await new FakeSqs().start();
  });
  afterEach(() => sqs.stop());

  it('hands every record back, logs why, and loads the SDK again on the next park', async () => {
    const logger = captureLogger();
    const sink = createSqsParkSink({
      queueUrl: sqs.queueUrl,
      logger,
      clientConfig: { credentials, region: 'us-east-1', maxAttempts: 1 }
    });
    const records = [parked(1), parked(2)];

    await expect(sink.park(records)).resolves.toEqual(records);
    expect(mockSdk.loads).toBe(1);
    expect(sqs.calls).toEqual([]);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'the SQS client for the dead-letter queue could not be loaded',
        count: 2,
        error: "Cannot find module '@aws-sdk/client-sqs'"
      })
    ]);

    mockSdk.broken = false;
    await expect(sink.park(records)).resolves.toEqual([]);
    expect(mockSdk.loads).toBe(2);
    expect(sqs.messages.map((m) => m.sequenceNumber)).toEqual(['seq-1', 'seq-2']);
    await sink.close?.();
  });
});
