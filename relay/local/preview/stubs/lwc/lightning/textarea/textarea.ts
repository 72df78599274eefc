// Preview stand-in for lightning-textarea: a native textarea; fires change with detail.value on every edit.
import { LightningElement, api } from 'lwc';
import { makeEvent, type ControlEvent } from '../../../events';

export default class Textarea extends LightningElement {
  @api label = '';
  @api name?: string;
  @api maxLength?: string;
  @api value = '';

  handleChange(event: ControlEvent): void {
    event.stopPropagation();
    this.dispatchEvent(makeEvent('change', { value: event.target.value }));
  }
}
