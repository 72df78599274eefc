// Types for the Lightning platform modules that @salesforce/lightning-types does not cover yet
// (it has the base components but not these service modules). Only what our components use, plus
// close siblings, is declared. Types a component annotates with are global (see callbackWorklist.d.ts).

/** A streaming subscription handle returned by lightning/empApi subscribe(). */
interface EmpSubscription {
  id?: string;
  channel: string;
  replayId?: number;
}

/** A message delivered by lightning/empApi. */
interface EmpMessage<Payload = Record<string, unknown>> {
  channel: string;
  data: {
    schema?: string;
    payload: Payload;
    event: { replayId: number; EventUuid?: string };
  };
}

declare module 'lightning/empApi' {
  /** replayId -1 = only new events, -2 = all retained events, or a specific replay id. */
  export function subscribe<Payload = Record<string, unknown>>(
    channel: string,
    replayId: number,
    onMessage: (message: EmpMessage<Payload>) => void
  ): Promise<EmpSubscription>;
  export function unsubscribe(
    subscription: EmpSubscription,
    callback?: (response: unknown) => void
  ): Promise<unknown>;
  export function onError(callback: (error: unknown) => void): void;
  export function setDebugFlag(flag: boolean): Promise<void>;
  export function isEmpEnabled(): Promise<boolean>;
}

declare module 'lightning/platformWorkspaceApi' {
  import type { WireAdapterConstructor } from 'lwc';

  export interface OpenTabOptions {
    recordId?: string;
    url?: string;
    pageReference?: { type: string; attributes?: Record<string, unknown>; state?: Record<string, unknown> };
    focus?: boolean;
    label?: string;
    icon?: string;
    iconAlt?: string;
  }

  export interface TabInfo {
    tabId: string;
    url?: string;
    recordId?: string;
    focused?: boolean;
    isSubtab?: boolean;
    parentTabId?: string | null;
    subtabs?: TabInfo[];
  }

  /** Resolves to the id of the opened tab. */
  export function openTab(options: OpenTabOptions): Promise<string>;
  export function openSubtab(parentTabId: string, options: OpenTabOptions): Promise<string>;
  export function focusTab(tabId: string): Promise<void>;
  export function closeTab(tabId: string): Promise<void>;
  export function refreshTab(tabId: string, options?: { includeAllSubtabs?: boolean }): Promise<void>;
  export function getFocusedTabInfo(): Promise<TabInfo>;
  export function getTabInfo(tabId: string): Promise<TabInfo>;
  export function getAllTabInfo(): Promise<TabInfo[]>;
  export function setTabLabel(tabId: string, label: string): Promise<TabInfo>;
  export function setTabIcon(tabId: string, icon: string, options?: { iconAlt?: string }): Promise<TabInfo>;
  export function setTabHighlighted(
    tabId: string,
    highlighted: boolean,
    options?: { pulse?: boolean; state?: 'success' | 'warning' | 'error' }
  ): Promise<TabInfo>;
  export function isConsoleNavigation(): Promise<boolean>;

  /** Delivers true inside a Lightning console app, false elsewhere. */
  export const IsConsoleNavigation: WireAdapterConstructor<Record<string, never>, boolean>;
  /** Delivers the id of the console tab that contains the component (or null). */
  export const EnclosingTabId: WireAdapterConstructor<Record<string, never>, string | null>;
}

declare module 'lightning/navigation' {
  import type { LightningElement, WireAdapterConstructor } from 'lwc';

  export interface PageReference {
    type: string;
    attributes?: Record<string, unknown>;
    state?: Record<string, unknown>;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Constructor<T> = new (...args: any[]) => T;

  export interface NavigationMixinMembers {
    [NavigationMixin.Navigate](pageReference: PageReference, replace?: boolean): void;
    [NavigationMixin.GenerateUrl](pageReference: PageReference): Promise<string>;
  }

  export function NavigationMixin<Base extends Constructor<LightningElement>>(
    base: Base
  ): Base & Constructor<NavigationMixinMembers>;
  export namespace NavigationMixin {
    const Navigate: unique symbol;
    const GenerateUrl: unique symbol;
  }

  export const CurrentPageReference: WireAdapterConstructor<Record<string, never>, PageReference>;
}

declare module 'lightning/platformShowToastEvent' {
  export interface ToastOptions {
    title: string;
    message?: string;
    messageData?: Array<string | { url: string; label: string }>;
    variant?: 'info' | 'success' | 'warning' | 'error';
    mode?: 'dismissible' | 'pester' | 'sticky';
  }

  export class ShowToastEvent extends CustomEvent<ToastOptions> {
    constructor(toast: ToastOptions);
  }
}

declare module 'lightning/platformUtilityBarApi' {
  import type { WireAdapterConstructor } from 'lwc';

  export interface UtilityAttributes {
    label?: string;
    icon?: string;
    /** success, warning or error colour; blank for none. */
    iconVariant?: string;
    highlighted?: boolean;
  }

  /** Delivers the id of the utility that contains the component, or undefined/null outside a utility bar. */
  export const EnclosingUtilityId: WireAdapterConstructor<Record<string, never>, string | null | undefined>;
  export function updateUtility(utilityId: string, attributes: UtilityAttributes): Promise<boolean>;
  export function open(utilityId: string, options?: { autoFocus?: boolean }): Promise<boolean>;
  export function minimize(utilityId: string): Promise<boolean>;
  export function getInfo(
    utilityId: string
  ): Promise<{ id: string; utilityVisible: boolean; label?: string }>;
}
