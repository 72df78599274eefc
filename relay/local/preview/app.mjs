// Console preview page: mounts the REAL callbackWorklist component (force-app/.../lwc/callbackWorklist), with
// synthetic shadow like the Lightning platform, and shows toasts and navigation requests it raises.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import CallbackWorklist from 'c/callbackWorklist';

const worklist = createElement('c-callback-worklist', { is: CallbackWorklist });
document.getElementById('worklist').appendChild(worklist);

const toasts = document.getElementById('toasts');
document.addEventListener('lightning__showtoast', (event) => {
  const { title, message, variant } = event.detail ?? {};
  const toast = document.createElement('div');
  toast.className = `preview-toast preview-toast_${variant ?? 'info'}`;
  toast.setAttribute('role', 'status');
  toast.textContent = message ? `${title}: ${message}` : title;
  toasts.appendChild(toast);
  setTimeout(() => toast.remove(), 6000);
});

const notice = document.getElementById('navigation');
window.addEventListener('preview:navigate', (event) => {
  const ref = event.detail ?? {};
  const attrs = ref.attributes ?? {};
  notice.textContent = `In the console this would open ${attrs.objectApiName ?? 'a record'} ${attrs.recordId ?? ''}.`;
});
