// A caller's actions, the same in both worklist layouts: Call, the dial control (compact list only: the table shows
// it in its Number column), Log outcome, Release and the row's menu. Rendered in light DOM so the buttons stay in
// the worklist's own tree: the worklist moves focus to them ([data-focus]) and remembers which row holds focus
// ([data-key]) exactly as when they were its own markup, and screen readers meet the same buttons in the same order.
// Every action is reported to the worklist as an event on this element, which the worklist marks with data-key:
// call, dial, log, release, and rowaction ({ value } of the chosen menu item).
import { LightningElement, api } from 'lwc';

export default class CallbackRowActions extends LightningElement {
  static renderMode = 'light' as const;

  /** The caller's row, as the worklist shows it (worklistView.ts toCallerRow). */
  @api row?: CallerViewRow;
  /** "list" (compact: the dial control sits with the actions, Log is short) or "table". */
  @api layout = 'table';

  get isList(): boolean {
    return this.layout === 'list';
  }

  get showDial(): boolean {
    // Stryker disable next-line OptionalChaining: the worklist always passes a row; the template reads it anyway.
    return this.isList && Boolean(this.row?.phone);
  }

  get logText(): string {
    return this.isList ? 'Log' : 'Log outcome';
  }

  handleCall(): void {
    this.dispatchEvent(new CustomEvent('call'));
  }

  handleDial(): void {
    this.dispatchEvent(new CustomEvent('dial'));
  }

  handleLog(): void {
    this.dispatchEvent(new CustomEvent('log'));
  }

  handleRelease(): void {
    this.dispatchEvent(new CustomEvent('release'));
  }

  handleSelect(event: CustomEvent<{ value: string }>): void {
    this.dispatchEvent(new CustomEvent('rowaction', { detail: { value: event.detail.value } }));
  }
}
