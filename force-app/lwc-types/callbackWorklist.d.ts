// Data shapes shared by the callback worklist components, declared globally on purpose:
// the LWC ESLint config parses TypeScript with @babel/eslint-parser, whose scope analysis reports
// `interface`/`type` declarations and type-only imports in component files as undefined/unused.
// Declarations here (a .d.ts, which ESLint skips) keep the component sources lint-clean.

/** Fields of the Disconnected_Call__e Platform Event, as empApi delivers them. */
interface DisconnectedCallPayload {
  Case_Id__c?: string | null;
  Connect_Contact_Id__c?: string | null;
  Customer_Contact_Id__c?: string | null;
  Customer_Account_Id__c?: string | null;
  Customer_Name__c?: string | null;
  Masked_Phone__c?: string | null;
  Caller_Key__c?: string | null;
  Category__c?: string | null;
  Disconnect_Reason__c?: string | null;
  Channel__c?: string | null;
  Queue_Name__c?: string | null;
  Queue_Wait_Seconds__c?: number | null;
  Dropped_At__c?: string | null;
  Summary__c?: string | null;
}

interface WorklistMenuAction {
  value: string;
  label: string;
}

interface WorklistOption {
  label: string;
  value: string;
}
