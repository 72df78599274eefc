/**
 * "Customer-initiated" on chat: StartChatContact (InitiationMethod API) is the customer, every other chat
 * initiation method is the contact centre reaching out and must never become a callback Case.
 */
import { classify, isCustomerInitiated } from '../src/classify';
import { DEFAULT_POLICY } from '../src/policy';
import { ctrWith } from './support/ctr-fixtures';

describe('chat contacts and the API initiation method', () => {
  it('forwards a chat the customer started (API) that was abandoned in queue', () => {
    const result = classify(ctrWith('chat-api-abandoned-in-queue'), DEFAULT_POLICY);

    expect(result).toMatchObject({ forward: true, category: 'ABANDONED_IN_QUEUE' });
  });

  it.each(['AGENT_REPLY', 'OUTBOUND', 'DISCONNECT', 'TRANSFER_FROM_AGENT_UNKNOWN'])(
    'skips a chat initiated by %s as not customer-initiated, naming the method',
    (method) => {
      const ctr = ctrWith('chat-api-abandoned-in-queue', { InitiationMethod: method });

      const result = classify(ctr, DEFAULT_POLICY);

      expect(result).toEqual({
        contactId: ctr.ContactId,
        forward: false,
        action: 'skip',
        category: 'NOT_CUSTOMER_INITIATED',
        reason: `initiated by ${method}, not by the customer`
      });
    }
  );

  it('treats API as customer-initiated only on the channels the policy names', () => {
    const chat = ctrWith('chat-api-abandoned-in-queue');
    const voice = ctrWith('chat-api-abandoned-in-queue', { Channel: 'VOICE' });
    const chatOnlyVoice = { ...DEFAULT_POLICY, apiCountsAsCustomerInitiatedOn: ['VOICE'] };

    expect(classify(voice, DEFAULT_POLICY)).toMatchObject({
      forward: false,
      category: 'NOT_CUSTOMER_INITIATED',
      reason: 'initiated by API on VOICE, which is not customer-initiated on that channel'
    });
    expect(classify(chat, chatOnlyVoice)).toMatchObject({
      forward: false,
      category: 'NOT_CUSTOMER_INITIATED'
    });
    expect(classify(voice, chatOnlyVoice)).toMatchObject({ forward: true });
  });

  it('does not count a customer-initiated channel list as making any method customer-initiated', () => {
    const facts = (method: string) =>
      ({ initiationMethod: method, channel: 'CHAT' }) as Parameters<typeof isCustomerInitiated>[0];

    expect(isCustomerInitiated(facts('API'), DEFAULT_POLICY)).toBe(true);
    expect(isCustomerInitiated(facts('api'), DEFAULT_POLICY)).toBe(true);
    // upper-cased as toUpperCase does, beyond ASCII too: a dotless "ı" is an "I"
    expect(isCustomerInitiated(facts('APı'), DEFAULT_POLICY)).toBe(true);
    expect(isCustomerInitiated(facts('APİ'), DEFAULT_POLICY)).toBe(false);
    expect(isCustomerInitiated(facts('AGENT_REPLY'), DEFAULT_POLICY)).toBe(false);
    expect(isCustomerInitiated(facts('OUTBOUND'), DEFAULT_POLICY)).toBe(false);
  });
});
