// Preview stand-in for lightning-menu-item: tells the enclosing button menu which value was picked.
import { LightningElement, api } from 'lwc';
import { makeEvent, type ControlEvent } from '../../../events';

export default class MenuItem extends LightningElement {
  @api label = '';
  @api value?: string;

  handleClick(event: ControlEvent): void {
    event.preventDefault();
    this.dispatchEvent(makeEvent('previewmenuselect', { value: this.value }, true));
  }
}
