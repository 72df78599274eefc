// Preview stand-in for lightning/platformShowToastEvent: the preview page listens for it and shows the toast.
export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super('lightning__showtoast', { bubbles: true, composed: true, cancelable: true, detail: toast });
  }
}
