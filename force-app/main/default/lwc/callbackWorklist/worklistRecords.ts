// Opening a Case or Contact from the worklist: a console tab where there is one (Service Console), else the
// standard record page (also the fallback when the console refuses the tab).
import { openTab } from 'lightning/platformWorkspaceApi';

export interface RecordPageReference {
  type: 'standard__recordPage';
  attributes: { recordId: string; objectApiName: string; actionName: 'view' };
}

export async function openRecord(
  recordId: string,
  objectApiName: string,
  inConsole: boolean,
  navigate: (reference: RecordPageReference) => void
): Promise<void> {
  if (inConsole) {
    try {
      await openTab({ recordId, focus: true });
      return;
    } catch {
      // Fall through to standard navigation, which works everywhere.
    }
  }
  navigate({
    type: 'standard__recordPage',
    attributes: { recordId, objectApiName, actionName: 'view' }
  });
}
