// Who the preview page acts as: ?as=agentB (default agentA), one of the org emulator's users
// (relay/local/org/customers.ts DEFAULT_USERS), and that user's Id for @salesforce/user/Id.
const USER_IDS = {
  agentA: '005000000000001AAA',
  agentB: '005000000000002AAA',
  outsider: '005000000000003AAA'
};

const requested = new URLSearchParams(globalThis.location?.search ?? '').get('as');
export const PREVIEW_ACTOR = requested && requested in USER_IDS ? requested : 'agentA';
export const PREVIEW_USER_ID = USER_IDS[PREVIEW_ACTOR];
