// Preview stand-in for lightning/empApi: Disconnected_Call__e messages arrive from the org emulator as
// server-sent events (/__preview/events), already shaped like empApi messages.
let errorListener;
let nextId = 1;

export function isEmpEnabled() {
  return Promise.resolve(typeof EventSource !== 'undefined');
}

export function onError(callback) {
  errorListener = callback;
}

export function setDebugFlag() {}

export function subscribe(channel, replayId, onMessage) {
  return new Promise((resolve, reject) => {
    const source = new EventSource('/__preview/events');
    let open = false;
    source.onopen = () => {
      if (!open) {
        open = true;
        resolve({ id: String(nextId++), channel, replayId, source });
      }
    };
    source.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.channel === channel) onMessage(message);
    };
    source.onerror = () => {
      if (!open) {
        source.close();
        reject(new Error('cannot reach the emulator event stream'));
      } else if (errorListener) {
        errorListener({ message: 'event stream interrupted' });
      }
    };
  });
}

export function unsubscribe(subscription) {
  subscription?.source?.close();
  return Promise.resolve(true);
}
