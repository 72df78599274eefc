// Preview stand-in for lightning/navigation: records cannot be opened off-platform, so navigation requests are
// announced to the preview page (which shows them) instead.
const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export function NavigationMixin(Base) {
  return class extends Base {
    [Navigate](pageReference) {
      window.dispatchEvent(new CustomEvent('preview:navigate', { detail: pageReference }));
    }
    [GenerateUrl]() {
      return Promise.resolve('#');
    }
  };
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

export class CurrentPageReference {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }
  connect() {
    this.dataCallback({ type: 'standard__navItemPage', attributes: {}, state: {} });
  }
  update() {}
  disconnect() {}
}
