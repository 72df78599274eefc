// Preview stand-in for lightning-click-to-dial: a tel: link (there is no softphone off-platform).
import { LightningElement, api } from 'lwc';

export default class ClickToDial extends LightningElement {
  @api value?: string;
  @api recordId?: string;

  get href(): string | undefined {
    return this.value ? `tel:${this.value}` : undefined;
  }
}
