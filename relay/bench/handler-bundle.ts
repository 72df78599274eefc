/**
 * The Lambda bundle, built the way the CDK stack builds it (NodejsFunction: esbuild, minified, CommonJS, target
 * node22, no source map, nothing external — see relay/infra/lib/relay-function.ts). Shared by the cold-start bench
 * (relay/bench/coldstart.ts) and the bundle guard test (relay/test/bundle.test.ts).
 */
import { build, type BuildOptions } from 'esbuild';

export const HANDLER_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: false,
  metafile: true,
  logLevel: 'silent'
} as const satisfies BuildOptions;

export interface HandlerBundle {
  /** Size of the bundle, bytes. */
  bytes: number;
  /** Every source file in the bundle (esbuild metafile paths, relative to the working directory) → its bytes. */
  inputs: Record<string, number>;
}

/** Bundles `entry` into `outfile`, or in memory when no outfile is given. */
export async function bundleHandler(entry: string, outfile?: string): Promise<HandlerBundle> {
  const result = await build({
    ...HANDLER_BUILD_OPTIONS,
    entryPoints: [entry],
    ...(outfile === undefined ? { write: false, outdir: 'out' } : { outfile })
  });
  const [name, output] = Object.entries(result.metafile.outputs)[0] ?? [];
  if (name === undefined || output === undefined) throw new Error(`esbuild wrote no bundle for ${entry}`);
  return {
    bytes: output.bytes,
    inputs: Object.fromEntries(Object.entries(output.inputs).map(([path, v]) => [path, v.bytesInOutput]))
  };
}

/** Bytes of the bundle from the files whose path passes `test`. */
export function bytesFrom(bundle: HandlerBundle, test: (path: string) => boolean): number {
  return Object.entries(bundle.inputs)
    .filter(([path]) => test(path))
    .reduce((sum, [, bytes]) => sum + bytes, 0);
}
