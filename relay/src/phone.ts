/**
 * The customer's number for a contact: the callback number the customer entered in the flow (contact attribute
 * named by policy.callbackNumberAttribute) when it is valid E.164, else the caller ID, else none (withheld caller
 * ID, chats). Entered numbers may carry the spaces, dashes, dots and brackets people type; nothing else is fixed up.
 */
import type { CtrFacts } from './ctr';
import { isE164 } from './mask';
import type { RelayPolicy } from './policy';
import type { PhoneSource } from './types';

export interface CustomerNumber {
  phone: string;
  source: PhoneSource;
}

const TYPED_SEPARATORS = /[\s\-.()]/g;

/** An entered number normalised to E.164, or null when it is not one. */
export function enteredNumber(value: string): string | null {
  const compact = value.replace(TYPED_SEPARATORS, '');
  return isE164(compact) ? compact : null;
}

/** The number to call back and where it came from; null when the contact has no usable number. */
export function customerNumberOf(facts: CtrFacts, policy: RelayPolicy): CustomerNumber | null {
  const attrs = facts.attributes;
  const name = policy.callbackNumberAttribute;
  const entered = Object.prototype.hasOwnProperty.call(attrs, name)
    ? enteredNumber(attrs[name] as string)
    : null;
  if (entered !== null) return { phone: entered, source: 'ENTERED' };
  if (facts.customerEndpointType === 'TELEPHONE_NUMBER' && isE164(facts.customerAddress)) {
    return { phone: facts.customerAddress, source: 'CALLER_ID' };
  }
  return null;
}
