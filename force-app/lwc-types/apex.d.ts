// Apex imports used by the LWCs. The platform provides these modules at runtime; sfdx-lwc-jest
// replaces them in tests. Each Apex method is both callable (imperative) and usable with @wire.
// The data shapes (CallbackRow, …) are global, see callbackWorklist.d.ts.

declare module '@salesforce/apex' {
  /** Re-provisions a wired Apex value (pass the whole object the wire delivered). */
  export function refreshApex(wiredValue: unknown): Promise<void>;
}

declare module '@salesforce/apex/CallbackWorklistController.getOpenCallbacks' {
  import type { WireAdapterConstructor } from 'lwc';

  const getOpenCallbacks: ((params: GetOpenCallbacksParams) => Promise<CallbackRow[]>) &
    WireAdapterConstructor<GetOpenCallbacksParams, WiredCallbacks>;
  export default getOpenCallbacks;
}

declare module '@salesforce/apex/CallbackWorklistController.logCallbackOutcome' {
  const logCallbackOutcome: (params: LogCallbackOutcomeParams) => Promise<CallbackRow>;
  export default logCallbackOutcome;
}
