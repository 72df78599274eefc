// Preview stand-in for lightning-radio-group: native radios; fires change with detail.value.
import { LightningElement, api } from 'lwc';
import { makeEvent, type ControlEvent } from '../../../events';

interface Option {
  label: string;
  value: string;
}

export default class RadioGroup extends LightningElement {
  @api label = '';
  @api name?: string;
  @api options: Option[] = [];
  @api value?: string;
  @api required = false;

  get items(): (Option & { checked: boolean })[] {
    return (this.options ?? []).map((o) => ({ ...o, checked: o.value === this.value }));
  }

  handleChange(event: ControlEvent): void {
    event.stopPropagation();
    this.dispatchEvent(makeEvent('change', { value: event.target.value }));
  }
}
