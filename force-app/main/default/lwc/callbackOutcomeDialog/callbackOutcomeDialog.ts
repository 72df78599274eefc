// Modal dialog for logging the outcome of a callback. Rendered by its parent only while open; it keeps
// keyboard focus inside itself (Tab wraps, Escape cancels) and reports the choice with events. The outcomes are
// the org's agent-selectable dispositions (CallbackLifecycleController.getDispositions); one that asks for a time
// ("Call back later") asks for it here.
import { LightningElement, api } from 'lwc';

export default class CallbackOutcomeDialog extends LightningElement {
  /** Who the callback was for (name or masked number), shown in the heading. */
  @api callerLabel = '';
  /** How many open drops the outcome will be logged on. */
  @api caseCount = 1;
  /** True while the parent is saving: buttons are disabled. */
  @api busy = false;
  /** Why the last save failed, shown inside the dialog. */
  @api errorText = '';
  /** The outcomes agents may log, in the org's order. */
  @api dispositions: DispositionOption[] = [];
  /** What to remind the agent of: when, where, what happened, attempts, due-by. */
  @api details: OutcomeDetail[] = [];

  outcome = '';
  note = '';
  callbackAt = '';
  showValidation = false;
  private focused = false;

  get outcomeOptions(): Array<{ label: string; value: string }> {
    return (this.dispositions ?? []).map((option) => ({ label: option.label, value: option.code }));
  }

  get hasDetails(): boolean {
    return (this.details ?? []).length > 0;
  }

  private get chosen(): DispositionOption | undefined {
    return (this.dispositions ?? []).find((option) => option.code === this.outcome);
  }

  /** "Call back later" needs the time the customer asked for. */
  get asksForTime(): boolean {
    return Boolean(this.chosen?.asksForTime);
  }

  get timeValidationText(): string {
    return this.showValidation && this.asksForTime && !this.callbackAt ? 'Enter when to call back.' : '';
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
      // Stryker disable next-line OptionalChaining: a rendered component always has its template; null only in the type.
      const heading = this.template?.querySelector<HTMLElement>('h2');
      // Stryker disable next-line ConditionalExpression: the heading is static markup, there once rendered.
      if (heading) {
        heading.focus();
        this.focused = true;
      }
    }
  }

  handleOutcomeChange(event: CustomEvent<{ value: string }>): void {
    this.outcome = this.outcomeOptions.find((option) => option.value === event.detail.value)?.value ?? '';
  }

  handleTimeChange(event: CustomEvent<{ value: string }>): void {
    this.callbackAt = event.detail.value ?? '';
  }

  handleNoteChange(event: CustomEvent<{ value: string }>): void {
    this.note = event.detail.value ?? '';
  }

  // Save is disabled while the parent is saving (and the parent ignores a second save), so no busy check here.
  handleSave(): void {
    if (!this.outcome || (this.asksForTime && !this.callbackAt)) {
      this.showValidation = true;
      return;
    }
    const note = this.note.trim();
    const at = this.asksForTime ? Date.parse(this.callbackAt) : NaN;
    const detail: DispositionSaveDetail = {
      disposition: this.outcome,
      note: note ? note : null,
      callbackAt: Number.isNaN(at) ? null : new Date(at).toISOString()
    };
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
      // Stryker disable next-line OptionalChaining: a rendered component always has its template; null only in the type.
      const target = this.template?.querySelector<HTMLElement>(selector);
      if (target && !target.hasAttribute('disabled')) {
        target.focus();
        return;
      }
    }
  }
}
