// Live events applied to the worklist at once: new drops (Disconnected_Call__e) and claims, releases, outcomes and
// automatic closes by anyone (Callback_Change__e). Totals stay honest in between refreshes.
import { spokenCaller } from './announcer';
import { LiveStream, type LiveState } from './liveStream';
import type { WorklistHost } from './worklistHost';
import { describeDrop } from './worklistModel';
import { addNewDrop, adjustTotals, applyChange } from './worklistStore';

export const NEW_DROP_CHANNEL = '/event/Disconnected_Call__e';
export const CHANGE_CHANNEL = '/event/Callback_Change__e';

/** What the stream's status and event times show on. */
export interface LiveHost extends WorklistHost {
  lastEventAtMs: number | null;
  liveState: LiveState;
  liveDetail: string;
}

/** The worklist's subscription to both channels (started and stopped by the component). */
export function createLiveStream(host: LiveHost, myUserId: string): LiveStream {
  return new LiveStream([NEW_DROP_CHANNEL, CHANGE_CHANNEL], {
    onMessage: (channel, message) => {
      host.nowMs = Date.now();
      host.lastEventAtMs = host.nowMs;
      if (channel === CHANGE_CHANNEL) {
        onChange(host, message.data.payload as CallbackChangePayload, myUserId);
      } else {
        onNewDrop(host, message.data.payload as DisconnectedCallPayload);
      }
    },
    onState: (state, detail) => {
      host.liveState = state;
      host.liveDetail = detail;
    },
    // Whatever changed while the stream was down is fetched once it is back.
    onResumed: () => host.refreshSoon()
  });
}

export function onNewDrop(host: WorklistHost, payload: DisconnectedCallPayload): void {
  // Stryker disable next-line ConditionalExpression,BlockStatement: addNewDrop lists nothing without a Case Id either; here for the type below.
  if (!payload.Case_Id__c) {
    return;
  }
  const outOfFilters =
    // Stryker disable next-line StringLiteral: no channel is out of any channel filter, whatever text stands for it.
    (host.channel && (payload.Channel__c ?? '').toUpperCase() !== host.channel) ||
    (host.category && payload.Category__c !== host.category);
  if (outOfFilters) {
    return;
  }
  const { callers, caller, isNewCaller } = addNewDrop(host.callers, payload);
  if (!caller) {
    return;
  }
  host.arrived(payload.Case_Id__c);
  host.callers = callers;
  if (isNewCaller && host.totals) {
    host.totals = adjustTotals(host.totals, null, caller);
  }
  host.unseen = new Set(host.unseen).add(caller.callerKey);
  const who = spokenCaller(payload.Customer_Name__c, payload.Masked_Phone__c);
  const what = describeDrop({
    category: payload.Category__c,
    disconnectReason: payload.Disconnect_Reason__c,
    queueName: payload.Queue_Name__c,
    queueWaitSeconds: payload.Queue_Wait_Seconds__c,
    summary: payload.Summary__c
  });
  host.announce({ kind: 'new', who, text: `New dropped call from ${who}: ${what}.` });
  // The event carries only the masked number; the coalesced refresh brings the server's copy to call.
  host.refreshSoon();
}

export function onChange(host: WorklistHost, change: CallbackChangePayload, myUserId: string): void {
  const { callers, before, after } = applyChange(host.callers, change, myUserId, host.nowMs);
  if (!before) {
    return;
  }
  host.callers = callers;
  if (host.totals) {
    host.totals = adjustTotals(host.totals, before, after);
  }
  if (after) {
    if (change.Change_Type__c === 'OUTCOME') {
      // Attempts and the next try come exactly from the server.
      host.refreshSoon();
    }
    return;
  }
  const onCall = new Set(host.onCall);
  onCall.delete(before.callerKey);
  host.onCall = onCall;
  const unseen = new Set(host.unseen);
  unseen.delete(before.callerKey);
  host.unseen = unseen;
  if (host.dialog?.key === before.callerKey && !host.dialogBusy) {
    host.dialogError = 'This callback was just closed elsewhere; there is nothing left to log.';
  }
  const who = spokenCaller(before.customerName, before.maskedPhone);
  const why = change.Change_Type__c === 'AUTO_CLOSED' ? 'got through on their own' : 'was called back';
  host.announce({ kind: 'left', who, text: `${who} ${why} and left the list.` });
}
