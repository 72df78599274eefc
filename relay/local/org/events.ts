/**
 * The emulated streaming API: platform events go to in-process listeners and to the preview's Server-Sent Events
 * stream, shaped like empApi messages ({channel, data: {payload, event: {replayId}}}).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maskPhone } from '../../src/mask';
import type { OrgState } from './state';
import type { CallbackChangeEvent, DisconnectedCallEvent, EmulatedCase } from './types';

export const DISCONNECTED_CALL_CHANNEL = '/event/Disconnected_Call__e';
export const CALLBACK_CHANGE_CHANNEL = '/event/Callback_Change__e';

export type ChangeFields = Omit<CallbackChangeEvent, 'CreatedDate'>;

export class EventStream {
  private readonly listeners = new Set<(e: DisconnectedCallEvent) => void>();
  private readonly changeListeners = new Set<(e: CallbackChangeEvent) => void>();
  private readonly sseClients = new Set<ServerResponse>();
  private replayId = 0;

  constructor(private readonly state: OrgState) {}

  subscribe(listener: (e: DisconnectedCallEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeChanges(listener: (e: CallbackChangeEvent) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Callback_Change__e: a claim, release, outcome or automatic close, for every open worklist. */
  publishChange(fields: ChangeFields): void {
    const event: CallbackChangeEvent = { ...fields, CreatedDate: this.state.now().toISOString() };
    for (const l of this.changeListeners) l(event);
    this.broadcast(CALLBACK_CHANGE_CHANNEL, event);
  }

  /** Disconnected_Call__e for a created Case. */
  publishNewDrop(c: EmulatedCase): void {
    const event = this.toEvent(c);
    for (const l of this.listeners) l(event);
    this.broadcast(DISCONNECTED_CALL_CHANNEL, event);
  }

  /** Holds a preview client's SSE response open until it goes away. */
  attach(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive'
    });
    res.write(`: subscribed to ${DISCONNECTED_CALL_CHANNEL} and ${CALLBACK_CHANGE_CHANNEL}\n\n`);
    this.sseClients.add(res);
    req.on('close', () => this.sseClients.delete(res));
  }

  close(): void {
    for (const res of this.sseClients) res.end();
    this.sseClients.clear();
  }

  private broadcast(channel: string, payload: object): void {
    this.state.stats.eventsPublished++;
    this.replayId++;
    const message = { channel, data: { payload, event: { replayId: this.replayId } } };
    for (const res of this.sseClients)
      res.write(`id: ${this.replayId}\ndata: ${JSON.stringify(message)}\n\n`);
  }

  private toEvent(c: EmulatedCase): DisconnectedCallEvent {
    return {
      Case_Id__c: c.id,
      Connect_Contact_Id__c: c.record.contactId,
      Customer_Contact_Id__c: c.customer?.contactId ?? null,
      Customer_Account_Id__c: c.customer?.accountId ?? null,
      Customer_Name__c: c.customer?.name ?? null,
      Masked_Phone__c: maskPhone(c.record.customerPhone),
      Caller_Key__c: c.callerKey,
      Category__c: c.record.category,
      Disconnect_Reason__c: c.record.disconnectReason,
      Channel__c: c.record.channel,
      Queue_Name__c: c.record.queueName,
      Queue_Wait_Seconds__c: c.record.queueWaitSeconds,
      Dropped_At__c: new Date(c.record.disconnectedAt ?? c.record.lastUpdated).toISOString(),
      Summary__c: c.summary,
      CreatedDate: this.state.now().toISOString()
    };
  }
}
