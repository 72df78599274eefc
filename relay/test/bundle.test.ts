/**
 * Guard on the Lambda bundle (built like the CDK stack builds it): the relay loads only undici's Agent and
 * request(), never undici's package index (fetch, WebSocket, EventSource, mock agents, cache stores,
 * interceptors), which doubled the bundle's undici part and cost most of the cold init (relay/src/salesforce/http.ts).
 */
import { join } from 'node:path';
import { bundleHandler, bytesFrom, type HandlerBundle } from '../bench/handler-bundle';

const HANDLER = join(__dirname, '..', 'src', 'handler.ts');
/** undici's own files in the bundle, as paths inside the package (lib/dispatcher/agent.js…). */
const undiciFiles = (bundle: HandlerBundle): string[] =>
  Object.keys(bundle.inputs)
    .map((path) => /node_modules\/undici\/(.+)$/.exec(path)?.[1])
    .filter((path): path is string => path !== undefined);

/** Parts of undici the relay never uses; any one of them means the package index came back. */
const UNUSED_UNDICI = [
  /^index\.js$/,
  /^lib\/web\/fetch\/index\.js$/,
  /^lib\/web\/websocket\//,
  /^lib\/web\/eventsource\//,
  /^lib\/web\/cache\//,
  /^lib\/web\/cookies\//,
  /^lib\/mock\//,
  /^lib\/cache\//,
  /^lib\/interceptor\//,
  /^lib\/dispatcher\/(proxy-agent|socks5-proxy-agent|env-http-proxy-agent|retry-agent|h2c-client)\.js$/
];

describe('Lambda bundle', () => {
  let bundle: HandlerBundle;
  beforeAll(async () => {
    bundle = await bundleHandler(HANDLER);
  }, 60_000);

  it("holds undici's Agent and request() (the relay's HTTP client)", () => {
    expect(undiciFiles(bundle)).toEqual(
      expect.arrayContaining([
        'lib/dispatcher/agent.js',
        'lib/api/api-request.js',
        'lib/dispatcher/client-h1.js'
      ])
    );
  });

  it('holds none of the undici modules the relay does not use', () => {
    const unused = undiciFiles(bundle).filter((file) => UNUSED_UNDICI.some((pattern) => pattern.test(file)));
    expect(unused).toEqual([]);
  });

  it('keeps undici within 320 KiB of the bundle (it was 525 KiB through the package index; 287 KiB without)', () => {
    expect(bytesFrom(bundle, (path) => path.includes('node_modules/undici/'))).toBeLessThanOrEqual(
      320 * 1024
    );
  });
});
