/**
 * Offline structural checks of the Apex sources:
 *  1. every non-test Apex class has a test: a class named <Class>Test, or an @IsTest class that mentions it;
 *  2. the REST intake handles the relay contract: every name in the contract examples' requests and responses
 *     (record fields, results keys, error keys, outcomes, error codes, plus the codes listed in its notes)
 *     appears in DisconnectRequestParser / DisconnectIntakeService / ConnectDisconnectResource as a string
 *     literal, or as a member of that exact name (which JSON.serialize writes as the key).
 * Every failure names the missing item. Usage: npx tsx scripts/check-apex-contract.ts
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { stripComments } from './check-soql-fields';

const ROOT = resolve(__dirname, '..');
const CLASSES_DIR = join(ROOT, 'force-app/main/default/classes');
const CONTRACT_FILE = join(ROOT, 'force-app/main/default/staticresources/ConnectDisconnectContract.json');
const CONTRACT_CLASSES = ['DisconnectRequestParser', 'DisconnectIntakeService', 'ConnectDisconnectResource'];

interface ApexClass {
  name: string;
  file: string;
  code: string;
  isTest: boolean;
}

function loadClasses(dir: string): ApexClass[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.cls'))
    .map((file) => {
      const code = stripComments(readFileSync(join(dir, file), 'utf8'));
      // @IsTest before the top-level class declaration (annotations may share the line or precede it).
      const header = code.slice(0, code.search(/\bclass\s+\w+/i) + 1);
      return { name: basename(file, '.cls'), file: join(dir, file), code, isTest: /@IsTest\b/i.test(header) };
    });
}

export function missingTests(classes: ApexClass[]): string[] {
  const tests = classes.filter((c) => c.isTest);
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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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
    const member = new RegExp(`\\b(public|global)\\s+[\\w<>,. ]+\\s+${name}\\s*(;|=|\\{)`);
    // Platform status codes are matched through the StatusCode enum rather than a literal.
    const statusCode = new RegExp(`\\bStatusCode\\.${name}\\b`);
    if (member.test(code) || statusCode.test(code)) continue;
    missing.push(
      `contract name "${name}" (${where}) is neither a string literal nor a member in the intake classes`
    );
  }
  return missing;
}

function main(): number {
  const problems: string[] = [];
  const classes = loadClasses(CLASSES_DIR);
  console.log(
    `Apex tests: ${classes.filter((c) => !c.isTest).length} classes, ${classes.filter((c) => c.isTest).length} test classes`
  );
  problems.push(...missingTests(classes));

  const contract = JSON.parse(readFileSync(CONTRACT_FILE, 'utf8')) as Json;
  const names = contractNames(contract);
  const intake = CONTRACT_CLASSES.map((name) => {
    const found = classes.find((c) => c.name === name);
    if (!found) problems.push(`force-app/main/default/classes/${name}.cls: missing (contract intake class)`);
    return found?.code ?? '';
  }).join('\n');
  problems.push(...missingNames(names, intake));
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
