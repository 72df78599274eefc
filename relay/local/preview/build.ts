/**
 * Builds the console preview: the REAL worklist LWC (force-app/main/default/lwc) compiled with the LWC compiler and
 * bundled by esbuild, with platform-only modules (lightning/*, @salesforce/apex/*) replaced by the small stand-ins
 * in ./stubs. The org emulator serves the result under /preview/ and answers its Apex and empApi calls.
 */
import { transformSync as lwcTransform } from '@lwc/compiler';
import { build, transformSync as esbuildTransform, type Plugin } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

export interface PreviewAsset {
  contentType: string;
  body: string;
}

export interface PreviewOptions {
  /** Folder of the LWC bundles (namespace c); default the project's force-app/main/default/lwc. */
  componentDir?: string;
  /** Component mounted by the page; default callbackWorklist. */
  component?: string;
}

const ROOT = resolve(__dirname, '../../..');
const STUBS = join(__dirname, 'stubs');
const LIGHTNING = join(STUBS, 'lwc', 'lightning');

/** The stand-ins used instead of platform-only modules (see stubs/). */
export const PREVIEW_STAND_INS = [
  'lightning-button',
  'lightning-icon',
  'lightning-combobox',
  'lightning-input',
  'lightning-spinner',
  'lightning-click-to-dial',
  'lightning-button-menu',
  'lightning-menu-item',
  'lightning-radio-group',
  'lightning-textarea',
  'lightning/empApi',
  'lightning/platformWorkspaceApi',
  'lightning/platformUtilityBarApi',
  'lightning/navigation',
  'lightning/platformShowToastEvent',
  '@salesforce/apex',
  '@salesforce/user/Id'
];

function firstExisting(paths: string[]): string | undefined {
  return paths.find((p) => existsSync(p));
}

/** esbuild plugin: resolves LWC module specifiers and runs the LWC compiler on component files. */
function lwcPlugin(componentDir: string): Plugin {
  const isLwcFile = (path: string): boolean =>
    path.startsWith(componentDir + '/') || path.startsWith(LIGHTNING + '/');
  return {
    name: 'lwc-preview',
    setup(b) {
      b.onResolve({ filter: /^lwc$/ }, () =>
        b.resolve('@lwc/engine-dom', { kind: 'import-statement', resolveDir: ROOT })
      );
      b.onResolve({ filter: /^c\/[\w]+$/ }, (args) => {
        const name = args.path.slice(2);
        const path = firstExisting(['.ts', '.js'].map((ext) => join(componentDir, name, name + ext)));
        return path
          ? { path }
          : { errors: [{ text: `LWC module ${args.path} not found in ${componentDir}` }] };
      });
      b.onResolve({ filter: /^lightning\/\w+$/ }, (args) => {
        const name = args.path.slice('lightning/'.length);
        const path = firstExisting(['.ts', '.mjs'].map((ext) => join(LIGHTNING, name, name + ext)));
        return path
          ? { path }
          : { errors: [{ text: `${args.path} has no preview stand-in (add one in ${LIGHTNING})` }] };
      });
      b.onResolve({ filter: /^@salesforce\/apex$/ }, () => ({ path: join(STUBS, 'apex.mjs') }));
      b.onResolve({ filter: /^@salesforce\/user\/Id$/ }, () => ({ path: join(STUBS, 'user-id.mjs') }));
      b.onResolve({ filter: /^@salesforce\/apex\/\w+\.\w+$/ }, (args) => ({
        path: args.path.slice('@salesforce/apex/'.length),
        namespace: 'apex-method'
      }));
      b.onLoad({ filter: /.*/, namespace: 'apex-method' }, (args) => {
        const [className, method] = args.path.split('.');
        return {
          contents: `import { apexMethod } from './apex.mjs';\nexport default apexMethod(${JSON.stringify(className)}, ${JSON.stringify(method)});\n`,
          loader: 'js',
          resolveDir: STUBS
        };
      });
      // Implicit stylesheets the template compiler imports whether or not the bundle has them.
      b.onResolve({ filter: /\.css(\?scoped=true)?$/ }, (args) => {
        const path = join(args.resolveDir, args.path.replace(/\?scoped=true$/, ''));
        if (!args.path.endsWith('?scoped=true') && existsSync(path)) return { path };
        return { path, namespace: 'empty-stylesheet' };
      });
      b.onLoad({ filter: /.*/, namespace: 'empty-stylesheet' }, () => ({
        contents: 'export default undefined;',
        loader: 'js'
      }));
      b.onLoad({ filter: /\.(ts|js|mjs|html|css)$/ }, (args) => {
        if (!isLwcFile(args.path)) return undefined;
        const ext = extname(args.path);
        const bundle = basename(dirname(args.path));
        const namespace = args.path.startsWith(LIGHTNING) ? 'lightning' : 'c';
        let source = readFileSync(args.path, 'utf8');
        if (ext === '.ts') {
          // Types only go away; standard decorators (@api, @wire) stay for the LWC compiler.
          source = esbuildTransform(source, {
            loader: 'ts',
            target: 'esnext',
            tsconfigRaw: { compilerOptions: { experimentalDecorators: false, useDefineForClassFields: true } }
          }).code;
        }
        // The compiler picks script/template/style by extension; scripts are named .js as on the platform.
        const filename =
          ext === '.ts' || ext === '.mjs' ? args.path.slice(0, -ext.length) + '.js' : args.path;
        const { code } = lwcTransform(source, filename, { name: bundle, namespace });
        return { contents: code, loader: 'js', resolveDir: dirname(args.path) };
      });
    }
  };
}

export async function buildPreview(options: PreviewOptions = {}): Promise<Record<string, PreviewAsset>> {
  const componentDir = resolve(options.componentDir ?? join(ROOT, 'force-app/main/default/lwc'));
  const component = options.component ?? 'callbackWorklist';
  const entry = readFileSync(join(__dirname, 'app.mjs'), 'utf8').replace(
    /c\/callbackWorklist/g,
    `c/${component}`
  );
  const result = await build({
    stdin: { contents: entry, resolveDir: __dirname, sourcefile: 'app.mjs', loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    resolveExtensions: ['.ts', '.js', '.mjs'],
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [lwcPlugin(componentDir)],
    logLevel: 'silent',
    legalComments: 'none'
  });
  const js = result.outputFiles[0]?.text ?? '';
  return {
    '/preview/': {
      contentType: 'text/html; charset=utf-8',
      body: readFileSync(join(__dirname, 'index.html'), 'utf8')
    },
    '/preview/app.js': { contentType: 'text/javascript; charset=utf-8', body: js },
    '/preview/preview.css': {
      contentType: 'text/css; charset=utf-8',
      body: readFileSync(join(__dirname, 'preview.css'), 'utf8')
    }
  };
}
