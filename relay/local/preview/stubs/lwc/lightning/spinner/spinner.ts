// Preview stand-in for lightning-spinner: a status line.
import { LightningElement, api } from 'lwc';

export default class Spinner extends LightningElement {
  @api alternativeText = 'Loading';
  @api size?: string;
}
