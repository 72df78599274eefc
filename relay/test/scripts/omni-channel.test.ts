// The optional Omni-Channel routing metadata (config/omni-channel, not part of the default force-app deploy):
// the Salesforce CLI's own metadata registry must resolve it to exactly a Case service channel, a routing
// configuration and the callback queue that uses it, offline.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SF = path.join(ROOT, 'node_modules', '.bin', 'sf');
const OMNI = path.join(ROOT, 'config', 'omni-channel');

describe('optional Omni-Channel routing metadata', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('converts to a Case service channel, a routing configuration and the queue that routes with it', () => {
    const out = path.join(dir, 'mdapi');
    execFileSync(SF, ['project', 'convert', 'source', '--source-dir', OMNI, '--output-dir', out, '--json'], {
      cwd: ROOT,
      env: {
        ...process.env,
        HOME: dir,
        SF_AUTOUPDATE_DISABLE: 'true',
        SF_DISABLE_TELEMETRY: 'true',
        SF_SKIP_NEW_VERSION_CHECK: 'true',
        HTTP_PROXY: 'http://127.0.0.1:9',
        HTTPS_PROXY: 'http://127.0.0.1:9'
      },
      encoding: 'utf8'
    });
    const manifest = fs.readFileSync(path.join(out, 'package.xml'), 'utf8');
    const types = [
      ...manifest.matchAll(/<types>\s*<members>([^<]+)<\/members>\s*<name>([^<]+)<\/name>/g)
    ].map((m) => `${m[2]}:${m[1]}`);
    expect(types.sort()).toEqual([
      'Queue:Dropped_Call_Callbacks',
      'QueueRoutingConfig:Callback_Routing',
      'ServiceChannel:Callback_Cases'
    ]);
    const channel = fs.readFileSync(
      path.join(out, 'serviceChannels', 'Callback_Cases.serviceChannel'),
      'utf8'
    );
    expect(channel).toContain('<relatedEntityType>Case</relatedEntityType>');
    const queue = fs.readFileSync(path.join(out, 'queues', 'Dropped_Call_Callbacks.queue'), 'utf8');
    expect(queue).toContain('<queueRoutingConfig>Callback_Routing</queueRoutingConfig>');
  }, 60_000);

  it('keeps the queue otherwise identical to the one force-app deploys', () => {
    const strip = (xml: string): string =>
      xml.replace(/\s*<queueRoutingConfig>[^<]*<\/queueRoutingConfig>/, '').replace(/\s+/g, ' ');
    const base = fs.readFileSync(
      path.join(ROOT, 'force-app', 'main', 'default', 'queues', 'Dropped_Call_Callbacks.queue-meta.xml'),
      'utf8'
    );
    const routed = fs.readFileSync(
      path.join(OMNI, 'main', 'default', 'queues', 'Dropped_Call_Callbacks.queue-meta.xml'),
      'utf8'
    );
    expect(strip(routed)).toBe(strip(base));
  });
});
