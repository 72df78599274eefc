/**
 * Apex method dispatch for the preview's @salesforce/apex stand-in and for tests: method name + the parameters the
 * LWC passes → the answer, as a given user. The older per-Case methods (CallbackWorklistController) stay
 * answerable so a preview built from either worklist version works.
 */
import type { Lifecycle } from './lifecycle';
import { AuraError, type Worklist } from './worklist';

export class ApexMethods {
  constructor(
    private readonly worklist: Worklist,
    private readonly lifecycle: Lifecycle
  ) {}

  /** Throws AuraError like the platform (LifecycleError carries a JSON {code, message} message). */
  call(actor: string, method: string, args: Record<string, unknown>): unknown {
    const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
    switch (method) {
      case 'getOpenCallbacks': {
        const wh = typeof args.windowHours === 'number' ? args.windowHours : null;
        return this.worklist.getOpenCallbacks(wh, str(args.channel), str(args.category));
      }
      case 'logCallbackOutcome':
        return this.worklist.logCallbackOutcome(String(args.caseId), String(args.outcome), str(args.note));
      case 'getWorklist':
        return this.lifecycle.getWorklist(this.lifecycle.agent(actor), args.requestJson);
      case 'claimCaller':
        return this.lifecycle.claimCaller(this.lifecycle.agent(actor), args.callerKey);
      case 'claimNext':
        return this.lifecycle.claimNext(this.lifecycle.agent(actor), args.requestJson);
      case 'releaseCaller':
        return this.lifecycle.releaseCaller(this.lifecycle.agent(actor), args.callerKey);
      case 'logCallerOutcome':
        return this.lifecycle.logCallerOutcome(this.lifecycle.agent(actor), args.requestJson);
      case 'getDispositions':
        this.lifecycle.agent(actor);
        return this.lifecycle.getDispositions();
      default:
        throw new UnknownMethodError(method);
    }
  }
}

export class UnknownMethodError extends Error {
  constructor(readonly method: string) {
    super(`No such Apex method: ${method}`);
  }
}

export { AuraError };
