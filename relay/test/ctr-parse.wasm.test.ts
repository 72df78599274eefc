/**
 * The scanner's WebAssembly bytes committed in relay/src/ctr-scan-wasm.ts are what relay/src/ctr-scan.wat assembles
 * to (`npm run build:ctr-scan` writes them): the .wat is the source that is read and reviewed, so the two must not
 * drift apart.
 */
import { readFileSync } from 'node:fs';
import { assembleCtrScan, TARGET, wasmModuleSource } from '../../scripts/build-ctr-scan';

test('relay/src/ctr-scan-wasm.ts is the assembled ctr-scan.wat (run `npm run build:ctr-scan` after editing it)', async () => {
  const bytes = await assembleCtrScan();
  expect(readFileSync(TARGET, 'utf8')).toBe(wasmModuleSource(bytes));
});

test('a .wat that does not assemble is reported, not written', async () => {
  const source = readFileSync(require.resolve('../src/ctr-scan.wat'), 'utf8');
  expect(source).toContain('(func (export "scan")');
  await expect(assembleCtrScan('(module (func (result i32)))')).rejects.toThrow();
});
