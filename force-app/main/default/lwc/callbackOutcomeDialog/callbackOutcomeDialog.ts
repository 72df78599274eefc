// Modal dialog for logging the outcome of a callback. Rendered by its parent only while open; it keeps
// keyboard focus inside itself (Tab wraps, Escape cancels) and reports the choice with events.
import { LightningElement, api } from 'lwc';

const OUTCOMES: Array<{ label: string; value: CallbackOutcome }> = [
  { label: 'Reached', value: 'REACHED' },
  { label: 'No answer', value: 'NO_ANSWER' },
  { label: 'Wrong number', value: 'WRONG_NUMBER' },
  { label: 'Not needed', value: 'NOT_NEEDED' }
];

export default class CallbackOutcomeDialog extends LightningElement {
  /** Who the callback was for (name or masked number), shown in the heading. */
  @api callerLabel = '';
  /** How many open drops the outcome will be logged on. */
  @api caseCount = 1;
  /** True while the parent is saving: buttons are disabled. */
  @api busy = false;
  /** Why the last save failed, shown inside the dialog. */
  @api errorText = '';

  outcome: CallbackOutcome | '' = '';
  note = '';
  showValidation = false;
  private focused = false;

  get outcomeOptions(): Array<{ label: string; value: CallbackOutcome }> {
    return OUTCOMES;
  }

  get heading(): string {
    return `Log callback outcome: ${this.callerLabel}`;
  }

  get scopeText(): string {
    return this.caseCount > 1
      ? `The outcome is logged on all ${this.caseCount} open drops of this caller.`
      : 'The outcome is logged on the callback case.';
  }

  get saveDisabled(): boolean {
    return this.busy;
  }

  get validationText(): string {
    return this.showValidation && !this.outcome ? 'Choose an outcome.' : '';
  }

  renderedCallback(): void {
    // Move focus into the dialog once, on open, so keyboard and screen-reader users land in it.
    if (!this.focused) {
      const heading = this.template?.querySelector<HTMLElement>('h2');
      if (heading) {
        heading.focus();
        this.focused = true;
      }
    }
  }

  handleOutcomeChange(event: CustomEvent<{ value: string }>): void {
    this.outcome = OUTCOMES.find((option) => option.value === event.detail.value)?.value ?? '';
  }

  handleNoteChange(event: CustomEvent<{ value: string }>): void {
    this.note = event.detail.value ?? '';
  }

  handleSave(): void {
    if (!this.outcome) {
      this.showValidation = true;
      return;
    }
    const note = this.note.trim();
    const detail: OutcomeSaveDetail = { outcome: this.outcome, note: note ? note : null };
    this.dispatchEvent(new CustomEvent('save', { detail }));
  }

  handleCancel(): void {
    if (!this.busy) {
      this.dispatchEvent(new CustomEvent('cancel'));
    }
  }

  handleKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.handleCancel();
    }
  }

  // Focus sentinels at both ends of the dialog wrap Tab / Shift+Tab around instead of leaving it.
  // While saving the buttons are disabled, so focus rests on the heading.
  handleWrapToStart(): void {
    this.focusFirstEnabled(['[data-id="close"]', 'h2']);
  }

  handleWrapToEnd(): void {
    this.focusFirstEnabled(['[data-id="save"]', 'h2']);
  }

  private focusFirstEnabled(selectors: string[]): void {
    for (const selector of selectors) {
      const target = this.template?.querySelector<HTMLElement>(selector);
      if (target && !target.hasAttribute('disabled')) {
        target.focus();
        return;
      }
    }
  }
}
