/**
 * Types of the undici 7 internal modules that relay/src/salesforce/http.ts loads instead of the package index (see
 * there why). undici has no "exports" map, so these paths resolve as files; package.json's override pins undici 7,
 * and relay/test/http.test.ts fails if a path or a shape changes. The types are undici's own public ones.
 */
declare module 'undici/lib/dispatcher/agent' {
  import { Agent } from 'undici';
  export = Agent;
}

declare module 'undici/lib/api/api-request' {
  import type { Dispatcher } from 'undici';
  /** Dispatcher.prototype.request of the package index, before the index assigns it: call it with the dispatcher. */
  function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  export = request;
}

declare module 'undici/lib/global' {
  import type { Dispatcher } from 'undici';
  export function getGlobalDispatcher(): Dispatcher;
}

declare module 'undici/lib/core/util' {
  /** Validates an http(s) URL as undici's top-level request() does (throws InvalidArgumentError). */
  export function parseURL(url: string | URL): URL;
}
