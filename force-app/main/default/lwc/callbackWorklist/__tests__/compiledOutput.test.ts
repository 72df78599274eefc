/**
 * @jest-environment node
 */
// The components are authored in TypeScript but the platform compiles the emitted JavaScript with the
// LWC compiler. This checks that what `npm run build:lwc` emits (same tsconfig) is accepted by it:
// ES2022 class fields or legacy decorators in the output would be rejected.
import * as fs from 'fs';
import * as path from 'path';

const ts = require('typescript');
const { transformSync } = require('@lwc/compiler');

const LWC_DIR = path.resolve(__dirname, '..', '..');
const BUNDLES = ['callbackWorklist', 'callbackOutcomeDialog', 'callbackRowActions'];

function compilerOptions(): Record<string, unknown> {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(LWC_DIR, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic: { messageText: unknown }) => {
        throw new Error(String(diagnostic.messageText));
      }
    }
  );
  return parsed.options;
}

describe('compiled LWC output', () => {
  const options = compilerOptions();

  it('keeps decorators and class fields for the LWC compiler', () => {
    expect(options.target).toBe(ts.ScriptTarget.ESNext);
    expect(options.experimentalDecorators).toBeFalsy();
    expect(options.noEmit).toBeFalsy();
  });

  it('would be rejected if TypeScript lowered the decorators (ES2022 target)', () => {
    const source = fs.readFileSync(
      path.join(LWC_DIR, 'callbackOutcomeDialog', 'callbackOutcomeDialog.ts'),
      'utf8'
    );
    for (const experimentalDecorators of [false, true]) {
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { ...options, target: ts.ScriptTarget.ES2022, experimentalDecorators }
      });
      expect(() =>
        transformSync(outputText, 'callbackOutcomeDialog.js', { name: 'x', namespace: 'c' })
      ).toThrow(/LWC1104/);
    }
  });

  for (const bundle of BUNDLES) {
    const dir = path.join(LWC_DIR, bundle);
    const sources = fs.readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));

    for (const source of sources) {
      it(`${bundle}/${source} compiles with the LWC compiler`, () => {
        const { outputText } = ts.transpileModule(fs.readFileSync(path.join(dir, source), 'utf8'), {
          compilerOptions: options,
          fileName: source
        });
        expect(outputText).not.toMatch(/__decorate|__esDecorate/);
        const result = transformSync(outputText, source.replace(/\.ts$/, '.js'), {
          name: bundle,
          namespace: 'c'
        });
        // In the component module the LWC compiler, not TypeScript, turns the decorators into metadata.
        const isComponent = source === `${bundle}.ts`;
        expect(/@api\s/.test(outputText)).toBe(isComponent);
        expect(result.code.includes('registerDecorators')).toBe(isComponent);
      });
    }

    for (const file of fs.readdirSync(dir).filter((name) => /\.(html|css)$/.test(name))) {
      it(`${bundle}/${file} compiles with the LWC compiler`, () => {
        const result = transformSync(fs.readFileSync(path.join(dir, file), 'utf8'), file, {
          name: bundle,
          namespace: 'c'
        });
        expect(result.code.length).toBeGreaterThan(0);
      });
    }
  }
});
