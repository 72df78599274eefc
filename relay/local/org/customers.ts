/** Fictional customers for the org emulator, matched by phone like the org's CustomerMatcher. */
import type { EmulatedCustomer } from './types';

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
