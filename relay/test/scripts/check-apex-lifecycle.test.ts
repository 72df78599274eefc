// scripts/check-apex-lifecycle.ts: the real Apex passes, and each kind of drift between the contract's lifecycle
// section and the Apex is reported by name.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lifecycleProblems } from '../../../scripts/check-apex-lifecycle';
import { stripComments } from '../../../scripts/check-soql-fields';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLASSES = path.join(ROOT, 'force-app', 'main', 'default', 'classes');
const CONTRACT = path.join(
  ROOT,
  'force-app',
  'main',
  'default',
  'staticresources',
  'ConnectDisconnectContract.json'
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function realSources(): Map<string, string> {
  const sources = new Map<string, string>();
  for (const file of fs.readdirSync(CLASSES).filter((f) => f.endsWith('.cls'))) {
    sources.set(
      path.basename(file, '.cls'),
      stripComments(fs.readFileSync(path.join(CLASSES, file), 'utf8'))
    );
  }
  return sources;
}

function contract(): { lifecycle: Record<string, Json> } {
  return JSON.parse(fs.readFileSync(CONTRACT, 'utf8')) as { lifecycle: Record<string, Json> };
}

describe('check-apex-lifecycle', () => {
  it('passes on the project as it is (run as the script)', () => {
    const out = execFileSync(
      'npx',
      ['--no-install', 'tsx', path.join(ROOT, 'scripts', 'check-apex-lifecycle.ts')],
      {
        cwd: ROOT,
        encoding: 'utf8'
      }
    );
    expect(out).toContain('every entry point');
  }, 60_000);

  it('reports a contract method the controller does not have, and a cacheable mismatch', () => {
    const doc = contract();
    const methods = doc.lifecycle.methods as Record<string, Json>;
    methods.transferCaller = { params: ['callerKey'], cacheable: false, returns: 'ClaimResult' };
    methods.getWorklist = { params: ['requestJson'], cacheable: true, returns: 'WorklistPage' };
    const problems = lifecycleProblems(doc as unknown as Json, realSources());
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('lifecycle method transferCaller: no @AuraEnabled static method'),
        expect.stringContaining('lifecycle method getWorklist: cacheable=false in Apex, true in the contract')
      ])
    );
  });

  it('reports an error code, a response key and an intake outcome the Apex does not know', () => {
    const doc = contract();
    (doc.lifecycle.errorCodes as Json[]).push('QUEUE_FULL');
    const examples = doc.lifecycle.examples as { calls: { response?: Json }[] }[];
    const firstResponse = examples[0]?.calls[0]?.response as Record<string, Json>;
    firstResponse.slaBreached = true;
    const intake = doc.lifecycle.intakeExamples as { response: { results: Record<string, Json>[] } }[];
    const firstResult = intake[0]?.response.results[0] as Record<string, Json>;
    firstResult.outcome = 'deferred';
    const problems = lifecycleProblems(doc as unknown as Json, realSources());
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('lifecycle error code QUEUE_FULL'),
        expect.stringContaining('lifecycle response key "slaBreached"'),
        expect.stringContaining('"deferred"')
      ])
    );
    expect(problems).toHaveLength(3);
  });

  it('reports a missing class and a contract without the section', () => {
    const sources = realSources();
    sources.delete('CallbackLifecycleModel');
    expect(lifecycleProblems(contract() as unknown as Json, sources)).toEqual(
      expect.arrayContaining([expect.stringContaining('CallbackLifecycleModel.cls: missing')])
    );
    expect(lifecycleProblems({ examples: [] }, sources)).toEqual(['contract: no lifecycle section']);
  });
});
