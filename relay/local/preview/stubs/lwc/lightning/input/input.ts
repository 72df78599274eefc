// Preview stand-in for lightning-input (toggle/checkbox and plain text only). The host's `checked` and `value`
// reflect the control, because handlers read event.target.checked as on the platform.
import { LightningElement, api } from 'lwc';
import { makeEvent, type ControlEvent } from '../../../events';

export default class Input extends LightningElement {
  @api label = '';
  @api name?: string;
  @api type = 'text';
  @api messageToggleActive = 'Active';
  @api messageToggleInactive = 'Inactive';
  @api fieldLevelHelp?: string;
  private checkedState = false;
  private valueState = '';

  @api
  get checked(): boolean {
    return this.checkedState;
  }
  set checked(v: boolean) {
    this.checkedState = Boolean(v);
  }

  @api
  get value(): string {
    return this.valueState;
  }
  set value(v: string) {
    this.valueState = v ?? '';
  }

  get isToggle(): boolean {
    return this.type === 'toggle' || this.type === 'checkbox';
  }

  /** lightning-input type="datetime" is a date and a time; the browser's closest control is datetime-local. */
  get nativeType(): string {
    return this.type === 'datetime' ? 'datetime-local' : this.type;
  }

  get toggleText(): string {
    return this.checkedState ? this.messageToggleActive : this.messageToggleInactive;
  }

  handleToggle(event: ControlEvent): void {
    event.stopPropagation();
    this.checkedState = event.target.checked;
    this.dispatchEvent(makeEvent('change', { checked: this.checkedState }));
  }

  handleInput(event: ControlEvent): void {
    event.stopPropagation();
    this.valueState = event.target.value;
    this.dispatchEvent(makeEvent('change', { value: this.valueState }));
  }
}
