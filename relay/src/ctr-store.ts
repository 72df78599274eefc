/**
 * Stores of the fields and members ctr-parse.ts reads from a CTR's text, each an own property exactly as JSON.parse
 * makes it, by constant names where V8 would otherwise meet a store by varying names (slow).
 */
import type { KeySet } from './key-set';

/** An own property, as JSON.parse makes one: a "__proto__" key included (plain assignment would set the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // Stryker disable next-line ConditionalExpression: defining every property this way gives the same object, slower
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** The members of `keys` an object has, as own properties, in the order of `keys`. */
export function ownMembers(whole: Record<string, unknown>, keys: KeySet): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of keys.names) {
    if (Object.prototype.hasOwnProperty.call(whole, name)) setOwn(picked, name, whole[name]);
  }
  return picked;
}

/**
 * setOwn, by a constant name for each member in CTR_MEMBER_FIELDS (see setField: a store by varying names is slow);
 * any other name (an attribute's) by setOwn.
 */
export function setMember(target: Record<string, unknown>, name: string, value: unknown): void {
  // Stryker disable StringLiteral,ConditionalExpression: a name that misses its case is stored by setOwn: the same own property, slower
  switch (name) {
    case 'Name':
      target.Name = value;
      return;
    case 'EnqueueTimestamp':
      target.EnqueueTimestamp = value;
      return;
    case 'DequeueTimestamp':
      target.DequeueTimestamp = value;
      return;
    case 'Duration':
      target.Duration = value;
      return;
    case 'ConnectedToAgentTimestamp':
      target.ConnectedToAgentTimestamp = value;
      return;
    case 'AgentInteractionDuration':
      target.AgentInteractionDuration = value;
      return;
    case 'Address':
      target.Address = value;
      return;
    case 'Type':
      target.Type = value;
      return;
    default:
      setOwn(target, name, value);
  }
  // Stryker restore StringLiteral,ConditionalExpression
}

/**
 * Sets the field CTR_FIELDS[index]. A store by a constant name per field, not `target[name]`: a store by varying
 * names cannot be specialised by V8 and was 7 % of decoding and classifying a 1.5 KB CTR (cases in CTR_FIELDS
 * order; the parity tests check each field lands under its name).
 */
export function setField(target: Record<string, unknown>, index: number, value: unknown): void {
  switch (index) {
    case 0:
      target.ContactId = value;
      return;
    case 1:
      target.Channel = value;
      return;
    case 2:
      target.InitiationMethod = value;
      return;
    case 3:
      target.DisconnectReason = value;
      return;
    case 4:
      target.InitiationTimestamp = value;
      return;
    case 5:
      target.DisconnectTimestamp = value;
      return;
    case 6:
      target.LastUpdateTimestamp = value;
      return;
    case 7:
      target.InstanceARN = value;
      return;
    case 8:
      target.PreviousContactId = value;
      return;
    case 9:
      target.NextContactId = value;
      return;
    case 10:
      target.CustomerEndpoint = value;
      return;
    case 11:
      target.TransferredToEndpoint = value;
      return;
    case 12:
      target.Queue = value;
      return;
    case 13:
      target.Agent = value;
      return;
    case 14:
      target.AgentConnectionAttempts = value;
      return;
    default:
      target.Attributes = value;
  }
}
