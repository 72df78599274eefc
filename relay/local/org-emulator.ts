/**
 * A local stand-in for the Salesforce org, for development only: it honours the same relay ↔ Apex contract as
 * ConnectDisconnectResource (validated against the contract examples), the OAuth token endpoint (JWT bearer with
 * RS256 signature checks, client credentials), the worklist's Apex methods (CallbackLifecycleController) and the
 * Disconnected_Call__e and Callback_Change__e event stream, so the whole pipeline runs on one machine with no org.
 * It binds to 127.0.0.1 only. One module per concern, under org/: routes, oauth, parser + intake (REST intake),
 * lifecycle + callers + dispositions (the worklist's Apex), apex (method dispatch), events (stream),
 * faults.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApexMethods } from './org/apex';
import { EventStream } from './org/events';
import { Faults } from './org/faults';
import { send } from './org/http';
import { Intake } from './org/intake';
import { Lifecycle } from './org/lifecycle';
import { OAuth } from './org/oauth';
import { createRouter } from './org/routes';
import { createState } from './org/state';
import type { OrgEmulator, OrgEmulatorOptions } from './org/types';

export { AuraError } from './org/apex';
export { DEFAULT_CUSTOMERS, DEFAULT_USERS } from './org/customers';
export { loadDispositions, type Disposition } from './org/dispositions';
export { LifecycleError, type ClaimResult, type OutcomeResult } from './org/lifecycle';
export type { CallerGroup, DropRow } from './org/callers';
export type { FaultKind, FaultSpec } from './org/faults';
export { TOKEN_PATH } from './org/oauth';
export { parseDisconnectRequest, parseTimestamp } from './org/parser';
export { CONTRACT_PATH, USER_HEADER } from './org/routes';
export type * from './org/types';

export async function startOrgEmulator(options: OrgEmulatorOptions = {}): Promise<OrgEmulator> {
  const state = createState(options);
  const events = new EventStream(state);
  const faults = new Faults(() => state.stats.faultsInjected++);
  const intake = new Intake(state, events);
  const apex = new ApexMethods(new Lifecycle(state, events));
  const staticRoutes = new Map(Object.entries(options.staticRoutes ?? {}));
  const oauth = new OAuth({ ...options, now: state.now });
  const route = createRouter({
    state,
    oauth,
    faults,
    events,
    intake,
    apex,
    staticRoutes
  });

  const server: Server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    route(req, res, base).catch((e: Error) => {
      if (!res.headersSent) send(res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: e.message }]);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats: state.stats,
    cases: state.cases,
    archived: state.archived,
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    seed: (records) => intake.seed(records),
    subscribe: (l) => events.subscribe(l),
    users: state.users,
    callApex: (actor, method, params) => apex.call(actor, method, params),
    subscribeChanges: (l) => events.subscribeChanges(l),
    addCustomer: (customer) => {
      state.customersByPhone.set(customer.phone, customer);
    },
    seedCase: (record, caseState) => intake.seedCase(record, caseState),
    setStaticRoute: (path, contentType, body) => {
      staticRoutes.set(path, { contentType, body });
    },
    setJwtCertificates: (pems) => oauth.setCertificates(pems),
    revokeTokens: () => oauth.revokeTokens(),
    stop: () =>
      new Promise<void>((resolve) => {
        events.close();
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}
