// Preview stand-in for lightning-button: a plain SLDS-styled button (clicks reach the host's onclick).
import { LightningElement, api } from 'lwc';

export default class Button extends LightningElement {
  @api label = '';
  @api iconName?: string;
  @api variant = 'neutral';
  @api disabled = false;

  get buttonClass(): string {
    return `slds-button slds-button_${this.variant}`;
  }
}
