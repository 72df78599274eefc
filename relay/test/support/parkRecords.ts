/** What the park tests share: records to park and credentials for the SQS emulator (it checks no signature). */
import type { ParkedRecord } from '../../src/park';

export const LOCAL_SQS_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

/** A parked record numbered i (sequence number, contact id and payload all carry it). */
export function parkedRecord(i: number): ParkedRecord {
  return {
    sequenceNumber: `seq-${i}`,
    contactId: `contact-${i}`,
    reason: 'customerPhone must be E.164',
    code: 'INVALID_FIELD',
    payload: Buffer.from(JSON.stringify({ ContactId: `contact-${i}` })).toString('base64')
  };
}
