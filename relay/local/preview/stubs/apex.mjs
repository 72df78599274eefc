// Preview stand-in for @salesforce/apex: Apex methods are answered by the org emulator
// (POST /__preview/apex/<method>). Each method works imperatively and as a wire adapter, like on the platform,
// and refreshApex re-runs the wire that produced a value. The page's ?as=agentB picks the emulated user
// (X-Emulator-User; default agentA), so two tabs can be two agents.
import { PREVIEW_ACTOR } from './actor.mjs';

const wireOf = new WeakMap();

async function invoke(method, params) {
  const res = await fetch(`/__preview/apex/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-emulator-user': PREVIEW_ACTOR },
    body: JSON.stringify(params ?? {})
  });
  const body = await res.json().catch(() => ({}));
  // Same shape as an AuraHandledException reaching an LWC: { status, body: { message } }.
  if (!res.ok) throw { status: res.status, body: { message: body.message ?? res.statusText } };
  return body;
}

export function apexMethod(className, method) {
  const call = (params) => invoke(method, params);
  call.adapter = class ApexWireAdapter {
    constructor(dataCallback) {
      this.dataCallback = dataCallback;
      this.config = undefined;
      this.sequence = 0;
      this.connected = false;
    }
    connect() {
      this.connected = true;
    }
    disconnect() {
      this.connected = false;
    }
    update(config) {
      this.config = config;
      this.fetch();
    }
    fetch() {
      const sequence = ++this.sequence;
      const emit = (value) => {
        // Only the latest request for the latest parameters may deliver a value.
        if (sequence !== this.sequence) return;
        wireOf.set(value, this);
        this.dataCallback(value);
      };
      return invoke(method, this.config).then(
        (data) => emit({ data, error: undefined }),
        (error) => emit({ data: undefined, error })
      );
    }
  };
  Object.defineProperty(call, 'name', { value: `${className}.${method}` });
  return call;
}

export function refreshApex(wiredValue) {
  const adapter = wireOf.get(wiredValue);
  return adapter ? adapter.fetch() : Promise.resolve();
}

export function getSObjectValue(record, field) {
  return record?.[field];
}
