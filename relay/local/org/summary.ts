/** The Case Subject of a drop, worded as DisconnectIntakeService.subjectFor words it. */
import type { DisconnectRecord } from '../../src/types';

const REASON_TEXT: Record<string, string> = {
  CUSTOMER_DISCONNECT: 'caller hung up',
  AGENT_DISCONNECT: 'agent hung up',
  THIRD_PARTY_DISCONNECT: 'third party hung up',
  TELECOM_PROBLEM: 'telecom problem',
  CONTACT_FLOW_DISCONNECT: 'ended by the contact flow',
  EXPIRED: 'expired'
};

function roughDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor(seconds / 60) % 60} min`;
}

/** The Case Subject, worded as DisconnectIntakeService.subjectFor words it. */
export function summaryFor(r: DisconnectRecord): string {
  let subject = r.channel?.toUpperCase() === 'CHAT' ? 'Dropped chat: ' : 'Dropped call: ';
  if (r.category === 'ABANDONED_IN_QUEUE') {
    subject += 'abandoned';
    if (r.queueWaitSeconds !== null) subject += ` after ${roughDuration(r.queueWaitSeconds)}`;
    subject += r.queueName !== null ? ` in ${r.queueName}` : ' in queue';
  } else if (r.category === 'DROPPED_IN_IVR') {
    subject += 'lost in the IVR';
    if (r.disconnectReason !== null) {
      const reason = r.disconnectReason;
      subject += ` (${REASON_TEXT[reason.toUpperCase()] ?? reason.replace('_', ' ').toLowerCase()})`;
    }
  } else {
    subject +=
      r.category === null
        ? 'ended before reaching an agent'
        : String(r.category).replace('_', ' ').toLowerCase();
  }
  return subject.length > 255 ? subject.slice(0, 252) + '...' : subject;
}
