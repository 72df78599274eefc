// Preview stand-in for lightning/platformWorkspaceApi: the preview page is not a console app.
export class IsConsoleNavigation {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }
  connect() {
    this.dataCallback(false);
  }
  update() {}
  disconnect() {}
}

export function openTab() {
  return Promise.reject(new Error('no console workspace in the preview'));
}

export function getFocusedTabInfo() {
  return Promise.reject(new Error('no console workspace in the preview'));
}
