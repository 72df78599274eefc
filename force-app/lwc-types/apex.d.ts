// Apex imports used by the LWCs. The platform provides these modules at runtime; sfdx-lwc-jest
// replaces them in tests. Each Apex method is both callable (imperative) and usable with @wire.
// The data shapes (WorklistPage, LifecycleCaller, …) are global, see lifecycle.d.ts.

declare module '@salesforce/apex' {
  /** Re-provisions a wired Apex value (pass the whole object the wire delivered). */
  export function refreshApex(wiredValue: unknown): Promise<void>;
}

declare module '@salesforce/apex/CallbackLifecycleController.getWorklist' {
  const getWorklist: (params: { requestJson: string }) => Promise<WorklistPage>;
  export default getWorklist;
}

declare module '@salesforce/apex/CallbackLifecycleController.claimCaller' {
  const claimCaller: (params: { callerKey: string }) => Promise<ClaimResult>;
  export default claimCaller;
}

declare module '@salesforce/apex/CallbackLifecycleController.claimNext' {
  const claimNext: (params: { requestJson: string }) => Promise<ClaimResult | null>;
  export default claimNext;
}

declare module '@salesforce/apex/CallbackLifecycleController.releaseCaller' {
  const releaseCaller: (params: { callerKey: string }) => Promise<ClaimResult>;
  export default releaseCaller;
}

declare module '@salesforce/apex/CallbackLifecycleController.logCallerOutcome' {
  const logCallerOutcome: (params: { requestJson: string }) => Promise<OutcomeResult>;
  export default logCallerOutcome;
}

declare module '@salesforce/apex/CallbackLifecycleController.getDispositions' {
  const getDispositions: () => Promise<DispositionOption[]>;
  export default getDispositions;
}
