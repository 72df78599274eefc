/** Fictional people of the emulated org: customers (matched by phone like CustomerMatcher) and users. */
import type { EmulatedCustomer, EmulatedUser } from './types';

/** The contract's actors: two queue-member agents, and a user without the Callback_Agent permission set. */
export const DEFAULT_USERS: Record<string, EmulatedUser> = {
  agentA: { id: '005000000000001AAA', name: 'Ada Agent', callbackAgent: true },
  agentB: { id: '005000000000002AAA', name: 'Ben Agent', callbackAgent: true },
  outsider: { id: '005000000000003AAA', name: 'Oscar Outsider', callbackAgent: false }
};

/** Fictional customers (555-01xx numbers) so matched rows show a name, like the org's CustomerMatcher would. */
export const DEFAULT_CUSTOMERS: EmulatedCustomer[] = [
  {
    contactId: '003000000000001AAA',
    accountId: '001000000000001AAA',
    name: 'Ana Gómez',
    phone: '+15555550142'
  },
  {
    contactId: '003000000000002AAA',
    accountId: '001000000000002AAA',
    name: 'Ben Okafor',
    phone: '+15555550177'
  },
  {
    contactId: '003000000000003AAA',
    accountId: '001000000000003AAA',
    name: 'Chen Wei',
    phone: '+15555550110'
  },
  {
    contactId: '003000000000004AAA',
    accountId: '001000000000001AAA',
    name: 'Dana Gómez',
    phone: '+15555550111'
  },
  {
    contactId: '003000000000005AAA',
    accountId: '001000000000004AAA',
    name: 'Emil Larsen',
    phone: '+15555550112'
  }
];
