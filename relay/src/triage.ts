/**
 * The first steps of a batch, pure: each Kinesis record decoded, classified and, when it is a drop or a resolve,
 * mapped to the endpoint's record. A record is forwarded, skipped (counted) or unusable (to be parked with its
 * reason): never dropped, never thrown.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import { classify } from './classify';
import { decodeKinesisRecord } from './decode';
import type { Logger } from './logger';
import type { RelayPolicy } from './policy';
import { toDisconnectRecord } from './record';
import type { DisconnectRecord } from './types';

export interface Forwarded {
  /** Position in the batch. */
  index: number;
  sequenceNumber: string;
  record: DisconnectRecord;
}

/** A record retrying cannot help, and why: it is parked with this code and reason. */
export interface ParkCause {
  /** Position in the batch. */
  index: number;
  sequenceNumber: string;
  contactId: string | null;
  code: string;
  reason: string;
}

type TriageCounts = Record<'invalid' | 'skipped' | 'forwarded' | 'resolved', number> & Record<string, number>;

export interface Triage {
  forwarded: Forwarded[];
  unusable: ParkCause[];
  /** invalid, skipped, skipped.<CATEGORY>, forwarded (drops), resolved. */
  counts: TriageCounts;
}

const NO_VERSION =
  'no valid LastUpdateTimestamp, DisconnectTimestamp or InitiationTimestamp (ISO-8601, a real date)';

export function triage(records: readonly KinesisStreamRecord[], policy: RelayPolicy, logger: Logger): Triage {
  const counts: TriageCounts = { invalid: 0, skipped: 0, forwarded: 0, resolved: 0 };
  const forwarded: Forwarded[] = [];
  const unusable: ParkCause[] = [];
  records.forEach((r, index) => {
    const decoded = decodeKinesisRecord(r, policy);
    const { sequenceNumber } = decoded;
    if (!decoded.ok) {
      counts.invalid += 1;
      unusable.push({
        index,
        sequenceNumber,
        contactId: null,
        code: 'INVALID_INPUT',
        reason: decoded.reason
      });
      return;
    }
    const classification = classify(decoded.ctr, policy);
    if (classification.action === 'skip') {
      counts.skipped += 1;
      const key = `skipped.${classification.category}`;
      counts[key] = (counts[key] ?? 0) + 1;
      logger.debug('record skipped', {
        sequenceNumber,
        contactId: classification.contactId,
        category: classification.category,
        reason: classification.reason
      });
      return;
    }
    const record = toDisconnectRecord(decoded.ctr, classification, policy);
    if (record.lastUpdated === '') {
      // No version to order copies by (absent or impossible dates such as 2025-04-31): the endpoint would reject
      // it, and it must not decide the fate of a valid copy of the same contact.
      counts.invalid += 1;
      unusable.push({
        index,
        sequenceNumber,
        contactId: record.contactId,
        code: 'INVALID_FIELD',
        reason: NO_VERSION
      });
      return;
    }
    if (record.action === 'resolve') counts.resolved += 1;
    else counts.forwarded += 1;
    forwarded.push({ index, sequenceNumber, record });
  });
  return { forwarded, unusable, counts };
}
