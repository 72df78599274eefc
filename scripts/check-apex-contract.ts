/**
 * Offline structural checks of the Apex sources:
 *  1. every non-test Apex class has a test: a class named <Class>Test, or an @IsTest class that mentions it;
 *  2. the REST intake handles the relay contract: every name in the contract examples' requests and responses
 *     (record fields, results keys, error keys, outcomes, error codes, plus the codes listed in its notes)
 *     appears in DisconnectRequestParser / DisconnectIntakeService / ConnectDisconnectResource as a string
 *     literal, or as a member of that exact name (which JSON.serialize writes as the key).
 * Every failure names the missing item.
 * Usage: npx tsx scripts/check-apex-contract.ts [CLASSES_DIR] [CONTRACT_FILE] (defaults: the project's)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { stripComments } from './apex-source';

const ROOT = resolve(__dirname, '..');
const CLASSES_DIR = join(ROOT, 'force-app/main/default/classes');
const CONTRACT_FILE = join(ROOT, 'force-app/main/default/staticresources/ConnectDisconnectContract.json');
const CONTRACT_CLASSES = ['DisconnectRequestParser', 'DisconnectIntakeService', 'ConnectDisconnectResource'];

export interface ApexClass {
  name: string;
  file: string;
  code: string;
  /** Annotated @IsTest (test classes and test utilities such as TestDataFactory). */
  isTest: boolean;
  /** Declares at least one test method: only such a class can be the test of another class. */
  hasTestMethods: boolean;
}

/** A method annotated @IsTest (any modifiers, any annotation arguments) or declared with `testMethod`. */
const TEST_METHOD =
  /@IsTest\b(?:\s*\([^)]*\))?\s+(?:(?:public|private|global|protected|static|override)\s+)*\w[\w<>,. ]*\s+\w+\s*\(|\btestMethod\b/i;

/** Parses one Apex class file's (comment-stripped) code. */
export function apexClass(name: string, file: string, source: string): ApexClass {
  const code = stripComments(source);
  // @IsTest before the top-level class declaration (annotations may share the line or precede it).
  const classAt = code.search(/\bclass\s+\w+/i);
  const header = code.slice(0, classAt + 1);
  const body = code.slice(classAt + 1);
  return { name, file, code, isTest: /@IsTest\b/i.test(header), hasTestMethods: TEST_METHOD.test(body) };
}

function loadClasses(dir: string): ApexClass[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.cls'))
    .map((file) => apexClass(basename(file, '.cls'), join(dir, file), readFileSync(join(dir, file), 'utf8')));
}

export function missingTests(classes: ApexClass[]): string[] {
  // A test utility (@IsTest, no test methods, e.g. TestDataFactory) mentions many classes but tests none.
  const tests = classes.filter((c) => c.isTest && c.hasTestMethods);
  const testNames = new Set(tests.map((c) => c.name.toLowerCase()));
  return classes
    .filter((c) => !c.isTest)
    .filter((c) => {
      if (testNames.has(`${c.name}Test`.toLowerCase())) return false;
      const mention = new RegExp(`\\b${c.name}\\b`, 'i');
      return !tests.some((t) => mention.test(t.code));
    })
    .map(
      (c) => `${relative(ROOT, c.file)}: no test class (expected ${c.name}Test or an @IsTest class using it)`
    );
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names the Apex must know: record fields, response keys, outcomes and error codes. */
export function contractNames(contract: Json): Map<string, string> {
  const names = new Map<string, string>(); // name → where it comes from
  const add = (name: string, where: string): void => {
    if (!names.has(name)) names.set(name, where);
  };
  if (!isObject(contract)) return names;
  const examples = Array.isArray(contract.examples) ? contract.examples : [];
  for (const example of examples) {
    if (!isObject(example)) continue;
    const label = `example "${String(example.name)}"`;
    const request = example.request;
    if (isObject(request) && Array.isArray(request.records)) {
      add('records', `${label} request`);
      for (const record of request.records) {
        // attributes values are caller data (allowlisted keys), not contract field names.
        if (isObject(record)) Object.keys(record).forEach((key) => add(key, `${label} request record`));
      }
    }
    const response = example.response;
    if (!isObject(response)) continue;
    const visit = (value: Json, path: string): void => {
      if (Array.isArray(value)) {
        value.forEach((item) => visit(item, path));
      } else if (isObject(value)) {
        for (const [key, child] of Object.entries(value)) {
          add(key, `${label} ${path}`);
          if (key === 'code' && typeof child === 'string') add(child, `${label} error code`);
          if (key === 'outcome' && typeof child === 'string') add(child, `${label} outcome`);
          visit(child, `${path}.${key}`);
        }
      }
    };
    visit(response, 'response');
  }
  const notes = Array.isArray(contract.notes) ? contract.notes.filter((n) => typeof n === 'string') : [];
  for (const note of notes as string[]) {
    if (!/error codes/i.test(note)) continue;
    for (const code of note.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? []) add(code, 'contract notes');
  }
  return names;
}

/** A name is handled when it is a string literal, or a declared member/enum value of exactly that name. */
export function missingNames(names: Map<string, string>, sources: string): string[] {
  const literals = new Set<string>();
  for (const match of sources.matchAll(/'((?:\\.|[^'\\\n])*)'/g)) literals.add(match[1] as string);
  const code = sources.replace(/'(?:\\.|[^'\\\n])*'/g, "''");
  const missing: string[] = [];
  for (const [name, where] of names) {
    if (literals.has(name)) continue;
    // Platform status codes are matched through the StatusCode enum rather than a literal.
    if (new RegExp(`\\bStatusCode\\.${name}\\b`).test(code)) continue;
    // Codes and outcomes are values on the wire: only a literal sends them. A member of the same name proves
    // nothing (BATCH_TOO_LARGE = 'BATCH_TOO_BIG' would send another code).
    if (/error code|outcome|contract notes/.test(where)) {
      const kind = where.includes('outcome') ? 'outcome' : 'code';
      missing.push(`contract ${kind} "${name}" (${where}) is not a string literal in the intake classes`);
      continue;
    }
    const member = new RegExp(`\\b(public|global)\\s+[\\w<>,. ]+\\s+${name}\\s*(;|=|\\{)`);
    if (member.test(code)) continue;
    missing.push(
      `contract name "${name}" (${where}) is neither a string literal nor a member in the intake classes`
    );
  }
  return missing;
}

/**
 * Error-code constants of the intake classes (`static final String CODE_NAME = 'CODE_VALUE'`) whose value the
 * contract file never mentions: a code the relay would not know (a renamed or new code).
 */
export function codesOutsideContract(contractText: string, sources: string): string[] {
  const problems: string[] = [];
  const constant = /\bstatic\s+final\s+String\s+([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\s*=\s*'([^'\n]*)'/g;
  for (const match of sources.matchAll(constant)) {
    const [, name, value] = match as unknown as [string, string, string];
    if (!/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value)) continue; // not a code-shaped value
    if (!contractText.includes(`"${value}"`) && !new RegExp(`\\b${value}\\b`).test(contractText)) {
      problems.push(`error code ${name} = '${value}' in the intake classes is not in the contract`);
    }
  }
  return problems;
}

function main(): number {
  const problems: string[] = [];
  const classesDir = resolve(process.argv[2] ?? CLASSES_DIR);
  const contractFile = resolve(process.argv[3] ?? CONTRACT_FILE);
  const classes = loadClasses(classesDir);
  console.log(
    `Apex tests: ${classes.filter((c) => !c.isTest).length} classes, ${classes.filter((c) => c.isTest).length} test classes`
  );
  problems.push(...missingTests(classes));

  const contractText = readFileSync(contractFile, 'utf8');
  const contract = JSON.parse(contractText) as Json;
  const names = contractNames(contract);
  const intake = CONTRACT_CLASSES.map((name) => {
    const found = classes.find((c) => c.name === name);
    if (!found) problems.push(`force-app/main/default/classes/${name}.cls: missing (contract intake class)`);
    return found?.code ?? '';
  }).join('\n');
  problems.push(...missingNames(names, intake));
  problems.push(...codesOutsideContract(contractText, intake));
  console.log(
    `Apex contract: ${names.size} names from the contract examples checked in ${CONTRACT_CLASSES.join(', ')}`
  );

  if (problems.length > 0) {
    for (const problem of problems) console.error(`  ${problem}`);
    console.error(`Apex contract/tests: ${problems.length} problem(s)`);
    return 1;
  }
  console.log('Apex contract/tests: every class has a test; every contract name is handled');
  return 0;
}

if (require.main === module) {
  process.exit(main());
}
