/** Fault injection for the org emulator: latency, 429, 503, 401 and connection resets, by count or by rate. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from './http';

export type FaultKind = 'latency' | '429' | '503' | '401' | 'reset';
/** The kinds of request a fault can hit. */
export type FaultScope = 'api' | 'token' | 'worklist';
export type FaultTarget = FaultScope | 'all';
export const FAULT_TARGETS: FaultTarget[] = ['api', 'token', 'worklist', 'all'];

export interface FaultSpec {
  kind: FaultKind;
  /** Apply to the next `count` matching requests… */
  count?: number;
  /** …or to this fraction (0..1) of them until cleared. */
  rate?: number;
  /** For latency: added delay. */
  latencyMs?: number;
  /** For 429: Retry-After header value in seconds. */
  retryAfterSeconds?: number;
  /**
   * Which requests: the Apex REST API (default), the token endpoint, the worklist's calls (the preview's Apex
   * bridge and event stream, so the worklist's error states can be seen locally), or all of them.
   */
  target?: FaultTarget;
}

const KINDS: FaultKind[] = ['latency', '429', '503', '401', 'reset'];

export class Faults {
  private active: (FaultSpec & { remaining: number })[] = [];

  constructor(private readonly onInjected: () => void) {}

  list(): FaultSpec[] {
    return this.active;
  }

  inject(fault: FaultSpec): void {
    if (!KINDS.includes(fault.kind)) throw new Error(`fault kind must be one of ${KINDS.join(', ')}`);
    if (fault.count === undefined && fault.rate === undefined) throw new Error('fault needs count or rate');
    if (fault.target !== undefined && !FAULT_TARGETS.includes(fault.target)) {
      throw new Error(`fault target must be one of ${FAULT_TARGETS.join(', ')}`);
    }
    this.active.push({ ...fault, remaining: fault.count ?? 0 });
  }

  clear(): void {
    this.active = [];
  }

  /** Returns true when a fault answered the request (the caller stops). */
  async apply(req: IncomingMessage, res: ServerResponse, scope: FaultScope): Promise<boolean> {
    for (const f of this.active) {
      const target = f.target ?? 'api';
      if (target !== 'all' && target !== scope) continue;
      const hit = f.count !== undefined ? f.remaining > 0 : Math.random() < (f.rate ?? 0);
      if (!hit) continue;
      if (f.count !== undefined) f.remaining--;
      this.onInjected();
      switch (f.kind) {
        case 'latency':
          await new Promise((r) => setTimeout(r, f.latencyMs ?? 1000));
          continue;
        case '429':
          res.setHeader('Retry-After', String(f.retryAfterSeconds ?? 1));
          send(res, 429, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'emulated rate limit' }]);
          return true;
        case '503':
          send(res, 503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'emulated outage' }]);
          return true;
        case '401':
          send(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
          return true;
        case 'reset':
          req.socket.destroy();
          return true;
      }
    }
    this.active = this.active.filter((f) => f.count === undefined || f.remaining > 0);
    return false;
  }
}
