// The one test that bundles relay/src/handler.ts for real, with the local esbuild (no Docker), exactly as
// `cdk synth` and `cdk deploy` do, then loads the bundle the way the Lambda runtime would.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RelayStack } from '../lib/relay-stack';

describe('RelayStack bundling', () => {
  let outdir: string;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-cdk-'));
  });
  afterAll(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('bundles the handler minified, without source maps, into an asset Lambda can load', () => {
    const app = new App({ outdir });
    const stack = new RelayStack(app, 'BundledRelay');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64']
    });

    const assembly = app.synth();
    const assetDirs = fs
      .readdirSync(assembly.directory)
      .filter((name) => name.startsWith('asset.'))
      .map((name) => path.join(assembly.directory, name));
    expect(assetDirs).toHaveLength(1);
    const assetDir = assetDirs[0]!;
    expect(fs.readdirSync(assetDir)).toEqual(['index.js']);

    const code = fs.readFileSync(path.join(assetDir, 'index.js'), 'utf8');
    // Assertions on extracts, not on `code`, so a failure does not print a megabyte of JavaScript.
    expect(code.includes('sourceMappingURL')).toBe(false);
    // Minified: long lines on average (only string literals keep their newlines).
    expect(Math.round(code.length / code.split('\n').length)).toBeGreaterThan(1000);
    // Self-contained: the AWS SDK is bundled, not taken from the runtime. The one package left outside is
    // the optional CRT signer the SDK tries (in a try/catch) only for SigV4a, which the relay never uses.
    const packages = new Set([...code.matchAll(/require\("([^".][^"]*)"\)/g)].map((m) => m[1]!));
    expect([...packages].filter((p) => !p.startsWith('node:')).sort()).toEqual(['@aws-sdk/signature-v4-crt']);
    expect(code.includes('GetSecretValue')).toBe(true);
    expect(code.length).toBeLessThan(3 * 1024 * 1024);

    // The function's code is this asset (the S3 key is the asset hash).
    const assetHash = path.basename(assetDir).replace(/^asset\./, '');
    template.hasResourceProperties('AWS::Lambda::Function', { Code: { S3Key: `${assetHash}.zip` } });

    // Load it like the runtime does, in a plain Node process outside the repository (no node_modules to
    // fall back on): CommonJS, `index.handler` is a function of (event, context).
    const probe = execFileSync(
      process.execPath,
      [
        '-e',
        'const m = require(process.argv[1]); console.log(typeof m.handler, m.handler.length);',
        path.join(assetDir, 'index.js')
      ],
      {
        cwd: outdir,
        env: { PATH: process.env.PATH },
        encoding: 'utf8'
      }
    );
    expect(probe.trim()).toBe('function 2');
  }, 120_000);
});
