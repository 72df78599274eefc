// Preview stand-in for lightning-combobox: a native <select>; fires change with detail.value like the original.
import { LightningElement, api } from 'lwc';
import { makeEvent, type ControlEvent } from '../../../events';

interface Option {
  label: string;
  value: string;
}

export default class Combobox extends LightningElement {
  @api label = '';
  @api name?: string;
  @api value = '';
  @api options: Option[] = [];

  get items(): (Option & { selected: boolean })[] {
    return (this.options ?? []).map((o) => ({ ...o, selected: o.value === (this.value ?? '') }));
  }

  handleChange(event: ControlEvent): void {
    event.stopPropagation();
    this.dispatchEvent(makeEvent('change', { value: event.target.value }));
  }
}
