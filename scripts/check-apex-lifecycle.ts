/**
 * Offline check that the Apex answers the contract's `lifecycle` section (issue 10), as check-apex-contract.ts
 * does for the intake examples:
 *  1. every name in lifecycle.intakeExamples' requests and responses (record fields, result keys, outcomes, error
 *     codes) is a string literal or a member in the intake classes (plus DisconnectResolver);
 *  2. every entry point in lifecycle.methods is an @AuraEnabled static method of CallbackLifecycleController, with
 *     cacheable=true exactly when the contract says so;
 *  3. every code in lifecycle.errorCodes is a string literal of CallbackLifecycleException or the controller;
 *  4. every key of the lifecycle examples' responses is a public member of CallbackLifecycleModel (the shapes the
 *     worklist receives).
 * Every failure names the missing item. Usage: npx tsx scripts/check-apex-lifecycle.ts [CLASSES_DIR] [CONTRACT]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { contractNames, missingNames } from './check-apex-contract';
import { stripComments } from './apex-source';

const ROOT = resolve(__dirname, '..');
const INTAKE_CLASSES = [
  'DisconnectRequestParser',
  'DisconnectIntakeService',
  'DisconnectResolver',
  'ConnectDisconnectResource'
];
const CONTROLLER = 'CallbackLifecycleController';
const MODEL = 'CallbackLifecycleModel';
const ERRORS = 'CallbackLifecycleException';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys of every object in a value, recursively. */
function keysOf(value: Json, into: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => keysOf(item, into));
  else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      into.add(key);
      keysOf(child, into);
    }
  }
  return into;
}

/** Problems of the lifecycle section against the Apex classes (name → comment-free source). */
export function lifecycleProblems(contract: Json, sources: Map<string, string>): string[] {
  const lifecycle = isObject(contract) ? contract.lifecycle : undefined;
  if (!isObject(lifecycle)) return ['contract: no lifecycle section'];
  const problems: string[] = [];
  const code = (name: string): string => {
    const source = sources.get(name);
    if (source === undefined) problems.push(`force-app/main/default/classes/${name}.cls: missing`);
    return source ?? '';
  };

  const intakeExamples = Array.isArray(lifecycle.intakeExamples) ? lifecycle.intakeExamples : [];
  const intake = INTAKE_CLASSES.map(code).join('\n');
  problems.push(
    ...missingNames(contractNames({ examples: intakeExamples }), intake).map((p) => `lifecycle intake: ${p}`)
  );

  const controller = code(CONTROLLER);
  const methods = isObject(lifecycle.methods) ? lifecycle.methods : {};
  for (const [name, spec] of Object.entries(methods)) {
    const declared = new RegExp(
      `@AuraEnabled(\\s*\\(([^)]*)\\))?\\s+(public|global)\\s+static\\s+[\\w<>.,\\s]+?\\s${name}\\s*\\(`,
      'i'
    ).exec(controller);
    if (!declared) {
      problems.push(`lifecycle method ${name}: no @AuraEnabled static method of that name in ${CONTROLLER}`);
      continue;
    }
    const cacheable = /cacheable\s*=\s*true/i.test(declared[2] ?? '');
    const wanted = isObject(spec) && spec.cacheable === true;
    if (cacheable !== wanted) {
      problems.push(
        `lifecycle method ${name}: cacheable=${String(cacheable)} in Apex, ${String(wanted)} in the contract`
      );
    }
  }

  const errorSources = code(ERRORS) + '\n' + controller;
  const codes = Array.isArray(lifecycle.errorCodes) ? lifecycle.errorCodes : [];
  for (const errorCode of codes) {
    if (typeof errorCode === 'string' && !errorSources.includes(`'${errorCode}'`)) {
      problems.push(`lifecycle error code ${errorCode}: not a string literal in ${ERRORS} or ${CONTROLLER}`);
    }
  }

  const model = code(MODEL);
  const examples = Array.isArray(lifecycle.examples) ? lifecycle.examples : [];
  const responseKeys = new Set<string>();
  for (const example of examples) {
    const calls = isObject(example) && Array.isArray(example.calls) ? example.calls : [];
    for (const call of calls)
      if (isObject(call) && call.response !== undefined) keysOf(call.response, responseKeys);
  }
  for (const key of responseKeys) {
    if (!new RegExp(`\\bpublic\\s+[\\w<>,. ]+\\s+${key}\\s*(;|=)`).test(model)) {
      problems.push(`lifecycle response key "${key}": no public member of that name in ${MODEL}`);
    }
  }
  return problems;
}

function main(): number {
  const classesDir = resolve(process.argv[2] ?? join(ROOT, 'force-app/main/default/classes'));
  const contractFile = resolve(
    process.argv[3] ?? join(ROOT, 'force-app/main/default/staticresources/ConnectDisconnectContract.json')
  );
  const sources = new Map<string, string>();
  for (const name of [...INTAKE_CLASSES, CONTROLLER, MODEL, ERRORS]) {
    const file = join(classesDir, `${name}.cls`);
    if (existsSync(file)) sources.set(name, stripComments(readFileSync(file, 'utf8')));
  }
  const problems = lifecycleProblems(JSON.parse(readFileSync(contractFile, 'utf8')) as Json, sources);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`  ${problem}`);
    console.error(`Apex lifecycle contract: ${problems.length} problem(s)`);
    return 1;
  }
  console.log(
    'Apex lifecycle contract: every entry point, error code, response key and intake name is in the Apex'
  );
  return 0;
}

if (require.main === module) {
  process.exitCode = main();
}
