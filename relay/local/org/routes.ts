/**
 * HTTP routing of the org emulator: /services (token endpoint and Apex REST, behind fault injection),
 * /__emulator (faults, state), /__preview (the preview's Apex bridge and event stream) and static assets.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventStream } from './events';
import type { Faults, FaultSpec } from './faults';
import { readBody, send } from './http';
import type { Intake } from './intake';
import { TOKEN_PATH, type OAuth } from './oauth';
import { ContractError } from './parser';
import { SUPERVISOR_PANEL_HTML, SUPERVISOR_PANEL_PATH, SUPERVISOR_SUMMARY_PATH } from '../supervisor-panel';
import type { OrgState } from './state';
import { AuraError, UnknownMethodError, type ApexMethods } from './apex';
import { summaryOfCases } from './supervisor';

export const CONTRACT_PATH = '/services/apexrest/connect/v1/disconnects';
const APEX_BRIDGE = '/__preview/apex/';

export interface RouteDeps {
  state: OrgState;
  oauth: OAuth;
  faults: Faults;
  events: EventStream;
  intake: Intake;
  apex: ApexMethods;
  staticRoutes: Map<string, { contentType: string; body: string | Buffer }>;
}

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  base: string
) => Promise<void> | void;

function services(deps: RouteDeps): Handler {
  return async (req, res, body, base) => {
    const path = new URL(req.url ?? '/', base).pathname;
    deps.state.stats.apiCalls++;
    const isToken = path === TOKEN_PATH;
    if (await deps.faults.apply(req, res, isToken ? 'token' : 'api')) return;
    if (isToken && req.method === 'POST') {
      deps.state.stats.tokenRequests++;
      return deps.oauth.handle(req, res, body, base);
    }
    if (path === CONTRACT_PATH && req.method === 'POST') {
      if (!deps.oauth.authorized(req)) {
        return send(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
      }
      try {
        return send(res, 200, { results: deps.intake.handle(body) });
      } catch (e) {
        if (e instanceof ContractError)
          return send(res, 400, { error: { code: e.code, message: e.message } });
        throw e;
      }
    }
    return send(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  };
}

function faultsRoute(deps: RouteDeps): Handler {
  return (req, res, body) => {
    if (req.method === 'POST') {
      try {
        deps.faults.inject(JSON.parse(body) as FaultSpec);
      } catch (e) {
        return send(res, 400, { message: (e as Error).message });
      }
      return send(res, 201, { faults: deps.faults.list() });
    }
    if (req.method === 'DELETE') deps.faults.clear();
    return send(res, 200, { faults: deps.faults.list() });
  };
}

/** Who the preview acts as: the X-Emulator-User header (an actor name such as agentB), else agentA. */
export const USER_HEADER = 'x-emulator-user';

/**
 * The preview's @salesforce/apex stand-in: POST /__preview/apex/<method> with the method's parameters, as the
 * user named in X-Emulator-User. Answers the value, or 400 {message} as an AuraHandledException reaches the LWC.
 */
function apexBridge(deps: RouteDeps): Handler {
  return (req, res, body, base) => {
    const method = new URL(req.url ?? '/', base).pathname.slice(APEX_BRIDGE.length);
    let args: Record<string, unknown>;
    try {
      const parsed: unknown = body ? JSON.parse(body) : {};
      args = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return send(res, 400, { message: 'Request body is not valid JSON' });
    }
    const header = req.headers[USER_HEADER];
    const actor = typeof header === 'string' && header.trim() !== '' ? header.trim() : 'agentA';
    try {
      return send(res, 200, deps.apex.call(actor, method, args) ?? null);
    } catch (e) {
      if (e instanceof AuraError) return send(res, 400, { message: e.message });
      if (e instanceof UnknownMethodError) return send(res, 404, { message: e.message });
      throw e;
    }
  };
}

export function createRouter(
  deps: RouteDeps
): (req: IncomingMessage, res: ServerResponse, base: string) => Promise<void> {
  const onServices = services(deps);
  const onFaults = faultsRoute(deps);
  const onApex = apexBridge(deps);
  return async (req, res, base) => {
    const path = new URL(req.url ?? '/', base).pathname;
    const method = req.method ?? 'GET';
    const body = method === 'GET' ? '' : await readBody(req);

    if (path.startsWith('/services/')) return onServices(req, res, body, base);
    if (path === '/__emulator/faults') return onFaults(req, res, body, base);
    if (path === '/__emulator/state' && method === 'GET') {
      return send(res, 200, { stats: deps.state.stats, cases: deps.state.cases.size, emulator: true });
    }
    if (path === SUPERVISOR_SUMMARY_PATH && method === 'GET') {
      return send(res, 200, summaryOfCases(deps.state.cases.values(), deps.state.now()));
    }
    if (path === SUPERVISOR_PANEL_PATH && method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(SUPERVISOR_PANEL_HTML);
      return;
    }
    if (path.startsWith(APEX_BRIDGE) && method === 'POST') {
      if (await deps.faults.apply(req, res, 'worklist')) return;
      return onApex(req, res, body, base);
    }
    if (path === '/__preview/events' && method === 'GET') {
      if (await deps.faults.apply(req, res, 'worklist')) return;
      return deps.events.attach(req, res);
    }
    const asset = deps.staticRoutes.get(path);
    if (asset && method === 'GET') {
      res.writeHead(200, { 'Content-Type': asset.contentType, 'Cache-Control': 'no-store' });
      res.end(asset.body);
      return;
    }
    if (path === '/' && method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(
        'Salesforce org EMULATOR for local development (not a real org).\n' +
          (deps.staticRoutes.has('/preview/') ? 'Console preview: /preview/\n' : '') +
          `Supervisor panel: ${SUPERVISOR_PANEL_PATH}\n`
      );
      return;
    }
    send(res, 404, { message: 'Not found' });
  };
}
