// Preview stand-in for lightning-button-menu: toggles a dropdown of slotted lightning-menu-items and fires
// select with detail.value, like the original.
import { LightningElement, api } from 'lwc';
import { makeEvent, type DetailEvent } from '../../../events';

export default class ButtonMenu extends LightningElement {
  @api alternativeText = 'Show menu';
  @api iconSize?: string;
  @api menuAlignment?: string;
  open = false;

  private readonly handleItem = (event: Event): void => {
    const e = event as unknown as DetailEvent<{ value: string }>;
    e.stopPropagation();
    this.open = false;
    this.dispatchEvent(makeEvent('select', { value: e.detail.value }));
  };

  override connectedCallback(): void {
    this.addEventListener('previewmenuselect', this.handleItem);
  }

  override disconnectedCallback(): void {
    this.removeEventListener('previewmenuselect', this.handleItem);
  }

  get ariaExpanded(): string {
    return String(this.open);
  }

  get dropdownClass(): string {
    return this.open ? 'preview-dropdown preview-dropdown_open' : 'preview-dropdown';
  }

  toggle(): void {
    this.open = !this.open;
  }

  @api
  focus(): void {
    const root = this.template as unknown as { querySelector(s: string): { focus(): void } | null };
    root.querySelector('button')?.focus();
  }
}
