/**
 * Apex method dispatch for the preview's @salesforce/apex stand-in and for tests: method name + the parameters the
 * LWC passes → the answer, as a given user. The worklist's Apex is CallbackLifecycleController; any other method
 * is unknown, as in the org.
 */
import { AuraError } from './aura';
import type { Lifecycle } from './lifecycle';

export class ApexMethods {
  constructor(private readonly lifecycle: Lifecycle) {}

  /** Throws AuraError like the platform (LifecycleError carries a JSON {code, message} message). */
  call(actor: string, method: string, args: Record<string, unknown>): unknown {
    switch (method) {
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
