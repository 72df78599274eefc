// Preview stand-in for lightning/platformUtilityBarApi: the preview page draws a console-like utility bar
// (#utility-bar) and shows what the component asks for: label (with the number waiting), highlight, icon variant.
export class EnclosingUtilityId {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }
  connect() {
    this.dataCallback(document.getElementById('utility-bar') ? 'preview-utility' : undefined);
  }
  update() {}
  disconnect() {}
}

export function updateUtility(utilityId, attrs = {}) {
  const item = document.getElementById('utility-bar-item');
  if (!item || utilityId !== 'preview-utility') return Promise.reject(new Error('not in a utility bar'));
  if (attrs.label !== undefined) item.querySelector('.preview-utility-label').textContent = attrs.label;
  if (attrs.highlighted !== undefined)
    item.classList.toggle('preview-utility_highlighted', Boolean(attrs.highlighted));
  item.dataset.variant = attrs.iconVariant ?? '';
  return Promise.resolve(true);
}

export function open() {
  return Promise.resolve(true);
}

export function minimize() {
  return Promise.resolve(true);
}

export function getInfo() {
  return Promise.resolve({ id: 'preview-utility', utilityVisible: true });
}
