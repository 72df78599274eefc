/**
 * The relay's HTTP client: undici's Agent and request(), and nothing else of undici at run time.
 *
 * Why not `import { Agent, request } from 'undici'`: undici 7's index has no "exports" map and requires all of
 * undici (fetch, WebSocket, EventSource, mock agents, cache stores, interceptors…); a CommonJS bundle cannot drop
 * any of it. In the Lambda bundle (esbuild, as the CDK stack builds it) undici was 525 KiB of 1,048 KiB, and loading
 * it most of the cold init; through the modules below it is 287 KiB (bundle 810 KiB) and cold init fell from 83 to
 * 53 ms (median of 20 fresh processes each, alternating, on the 2-core dev host). The paths are undici's own files
 * (types: ./undici-internals.d.ts), stable within a major version; the "overrides" entry in package.json pins
 * undici 7, relay/test/http.test.ts fails if they move, relay/test/bundle.test.ts if the package index comes back.
 * The token request keeps undici's global dispatcher when given none, exactly as before.
 * Only types come from the package index (erased at build time).
 */
import Agent from 'undici/lib/dispatcher/agent';
import apiRequest from 'undici/lib/api/api-request';
import { parseURL } from 'undici/lib/core/util';
import { getGlobalDispatcher } from 'undici/lib/global';
import type { Dispatcher } from 'undici';

export { Agent };
export type { Dispatcher };

/** Options of one request: undici's, with the method required and the dispatcher optional. */
export type HttpRequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & {
  method: Dispatcher.HttpMethod;
  /** Default: undici's global dispatcher, as undici's own request() uses. */
  dispatcher?: Dispatcher;
};

/**
 * undici's top-level `request(url, options)`: the URL gives the origin and the path (with the query), and the
 * request goes through `options.dispatcher`, else undici's global dispatcher (shared with any other copy of undici
 * in the process, as the index's request() does).
 */
export function request(url: string | URL, options: HttpRequestOptions): Promise<Dispatcher.ResponseData> {
  const parsed = parseURL(url);
  const { dispatcher = getGlobalDispatcher(), ...rest } = options;
  return apiRequest.call(dispatcher, {
    ...rest,
    origin: parsed.origin,
    path: `${parsed.pathname}${parsed.search}`
  });
}
