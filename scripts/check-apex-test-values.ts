/**
 * No two Apex test classes may write the same unique value. Scratch orgs (and deployments) run test classes in
 * parallel; two transactions inserting the same value of a unique field wait on each other's index lock and one
 * fails with UNABLE_TO_LOCK_ROW. Unique here: custom fields marked unique or external id (Connect_Contact_Id__c),
 * User.Username and Group.DeveloperName (queues).
 *
 * Found per test class (an @IsTest class with test methods):
 *  - literals assigned to a unique field (`Connect_Contact_Id__c = 'x'`, `'x' + …` counts as the prefix `x…`);
 *  - literals given to the relay contract's `contactId` key (`'contactId' => 'x'`, `put('contactId', 'x')`);
 *  - literals (or String constants) passed to a method, in the class or in TestDataFactory, whose parameter ends
 *    up in one of the above (`TestDataFactory.disconnectRecord('x')`, a local `dropCase(…, 'x', …)`);
 *  - the contactIds of every contract example whose name the class mentions;
 *  - TestDataFactory's generated contact ids ("prefix" + index) when it calls a factory method that makes them,
 *    unless the generator adds something per test run (then no two runs share a value).
 *
 * Usage: npx tsx scripts/check-apex-test-values.ts [SOURCE_DIR=force-app] [CONTRACT_FILE]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { apexClass, type ApexClass } from './check-apex-contract';

const ROOT = resolve(__dirname, '..');
const FACTORY = 'TestDataFactory';
const CONTRACT_KEY = 'contactId';
const STANDARD_UNIQUE = ['Username', 'DeveloperName'];

function walk(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path, accept);
    return accept(entry.name) ? [path] : [];
  });
}

export function uniqueFields(sourceDir: string): string[] {
  const fields = walk(sourceDir, (n) => n.endsWith('.field-meta.xml'))
    .filter((file) => /<(unique|externalId)>true<\/\1>/.test(readFileSync(file, 'utf8')))
    .map((file) => basename(file, '.field-meta.xml'));
  return [...new Set([...fields, ...STANDARD_UNIQUE])];
}

const LITERAL = String.raw`'((?:\\.|[^'\\\n])*)'`;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Method {
  name: string;
  params: string[];
  body: string;
}

/** Top-level split of an argument list on commas (ignores commas inside brackets and string literals). */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      current += text.slice(i, end < 0 ? text.length : end + 1);
      i = end < 0 ? text.length : end;
      continue;
    }
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') args.push(current.trim());
  return args;
}

/** The text from an opening bracket to its match. */
function balanced(code: string, open: number): string {
  const pairs: Record<string, string> = { '(': ')', '{': '}' };
  const close = pairs[code[open] as string];
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === "'") {
      i = code.indexOf("'", i + 1);
      if (i < 0) break;
      continue;
    }
    if (code[i] === code[open]) depth++;
    if (code[i] === close && --depth === 0) return code.slice(open + 1, i);
  }
  return code.slice(open + 1);
}

function methods(code: string): Method[] {
  const found: Method[] = [];
  const declaration = /\b(?:static\s+|public\s+|private\s+|global\s+|protected\s+)+[\w<>,. ]+?\s+(\w+)\s*\(/g;
  for (const match of code.matchAll(declaration)) {
    const paren = (match.index ?? 0) + match[0].length - 1;
    const params = balanced(code, paren);
    const brace = code.indexOf('{', paren + params.length + 1);
    if (brace < 0 || /;/.test(code.slice(paren + params.length + 2, brace))) continue;
    found.push({
      name: match[1] as string,
      params: splitArgs(params).map((p) => p.split(/\s+/).at(-1) ?? ''),
      body: balanced(code, brace)
    });
  }
  return found;
}

/** method name → parameter positions that reach a unique value (fixpoint over calls between the methods). */
function sinkMethods(all: Method[], fields: string[]): Map<string, Set<number>> {
  const sinks = new Map<string, Set<number>>();
  const fieldAlt = fields.map(escape).join('|');
  let changed = true;
  while (changed) {
    changed = false;
    for (const method of all) {
      method.params.forEach((param, index) => {
        if (!param || sinks.get(method.name)?.has(index)) return;
        const p = escape(param);
        const direct = new RegExp(
          `\\b(?:${fieldAlt})\\s*=(?!=)\\s*${p}\\b|'${CONTRACT_KEY}'\\s*(?:=>|,)\\s*${p}\\b`
        ).test(method.body);
        const viaCall = [...sinks.entries()].some(([callee, positions]) =>
          [...method.body.matchAll(new RegExp(`\\b${escape(callee)}\\s*\\(`, 'g'))].some((call) => {
            const args = splitArgs(balanced(method.body, (call.index ?? 0) + call[0].length - 1));
            return [...positions].some((pos) => new RegExp(`^${p}\\b`).test(args[pos] ?? ''));
          })
        );
        if (direct || viaCall) {
          sinks.set(method.name, new Set([...(sinks.get(method.name) ?? []), index]));
          changed = true;
        }
      });
    }
  }
  return sinks;
}

function stringConstants(code: string): Map<string, string> {
  const constants = new Map<string, string>();
  for (const match of code.matchAll(
    new RegExp(`\\bString\\s+([A-Za-z_]\\w*)\\s*=\\s*${LITERAL}\\s*;`, 'g')
  )) {
    constants.set(match[1] as string, match[2] as string);
  }
  return constants;
}

/** A literal ('x'), a literal prefix ('x' + …) or a String constant, as a value; prefixes end with '*'. */
function valueOf(expression: string, constants: Map<string, string>): string | undefined {
  const literal = new RegExp(`^${LITERAL}\\s*(\\+)?`).exec(expression);
  if (literal) return `${literal[1]}${literal[2] ? '*' : ''}`;
  const constant = /^([A-Za-z_]\w*)\s*(\+)?/.exec(expression);
  if (constant && constants.has(constant[1] as string)) {
    return `${constants.get(constant[1] as string)}${constant[2] ? '*' : ''}`;
  }
  return undefined;
}

interface ContractExample {
  name?: string;
  status?: number;
  given?: Array<{ contactId?: string }>;
  request?: { records?: Array<{ contactId?: string }> };
}

export interface Inputs {
  classes: ApexClass[];
  fields: string[];
  contractExamples: ContractExample[];
}

/** The generated contact id family of TestDataFactory ("prefix*"), or null when it is unique per run. */
function generatedFamily(factory: ApexClass | undefined): { family: string; makers: Set<string> } | null {
  if (!factory) return null;
  const all = methods(factory.code);
  const generator = all.find((m) => m.name === 'contactIdFor');
  const returned = generator ? /\breturn\s+([^;]+);/.exec(generator.body)?.[1] : undefined;
  if (!generator || !returned) return null;
  const identifiers = returned.replace(new RegExp(LITERAL, 'g'), '').match(/[A-Za-z_]\w*/g) ?? [];
  const perRun = identifiers.some(
    (id) => !generator.params.includes(id) && id !== 'String' && id !== 'valueOf'
  );
  if (perRun) return null;
  const prefix = new RegExp(`^\\s*${LITERAL}`).exec(returned)?.[1] ?? '';
  const makers = new Set<string>(['contactIdFor']);
  let changed = true;
  while (changed) {
    changed = false;
    for (const method of all) {
      if (makers.has(method.name)) continue;
      if ([...makers].some((m) => new RegExp(`\\b${m}\\s*\\(`).test(method.body))) {
        makers.add(method.name);
        changed = true;
      }
    }
  }
  return { family: `${prefix}*`, makers };
}

const DML =
  /\b(?:insert|update|upsert|delete|undelete|merge)\s+[\w(]|\bDatabase\.(?:insert|update|upsert|delete|merge)\w*\s*\(|\bEventBus\.publish\s*\(/;

/**
 * Names of the non-test classes that write (DML, or use a class that does), and of the factory methods with DML.
 * A test class that neither writes itself nor uses either (a pure parser test) cannot lock anything.
 */
function writers(
  classes: ApexClass[],
  factoryMethods: Method[]
): { classes: Set<string>; factory: Set<string> } {
  const production = classes.filter((c) => !c.isTest);
  const writing = new Set(production.filter((c) => DML.test(c.code)).map((c) => c.name));
  let changed = true;
  while (changed) {
    changed = false;
    for (const c of production) {
      if (writing.has(c.name)) continue;
      if ([...writing].some((w) => new RegExp(`\\b${w}\\b`).test(c.code))) {
        writing.add(c.name);
        changed = true;
      }
    }
  }
  return {
    classes: writing,
    factory: new Set(factoryMethods.filter((m) => DML.test(m.body)).map((m) => m.name))
  };
}

function writes(test: ApexClass, writing: { classes: Set<string>; factory: Set<string> }): boolean {
  if (DML.test(test.code)) return true;
  if ([...writing.classes].some((w) => new RegExp(`\\b${w}\\b`).test(test.code))) return true;
  return [...writing.factory].some((m) => new RegExp(`\\b${FACTORY}\\.${m}\\s*\\(`).test(test.code));
}

/** Unique values each test class writes: class name → value → where (first occurrence). */
export function valuesByClass(inputs: Inputs): Map<string, Map<string, string>> {
  const { classes, fields, contractExamples } = inputs;
  const factory = classes.find((c) => c.name === FACTORY);
  const family = generatedFamily(factory);
  const factoryMethods = factory ? methods(factory.code) : [];
  const fieldAlt = fields.map(escape).join('|');
  const writing = writers(classes, factoryMethods);
  const result = new Map<string, Map<string, string>>();
  for (const test of classes.filter((c) => c.isTest && c.hasTestMethods && writes(c, writing))) {
    const values = new Map<string, string>();
    const add = (value: string | undefined, where: string): void => {
      if (value !== undefined && value !== '' && !values.has(value)) values.set(value, where);
    };
    const code = test.code;
    const constants = stringConstants(code);
    const own = methods(code);
    for (const match of code.matchAll(
      new RegExp(`\\b(${fieldAlt})\\s*=(?!=)\\s*(${LITERAL}\\s*\\+?|[A-Za-z_]\\w*)`, 'g')
    )) {
      add(valueOf(match[2] as string, constants), `${match[1]} =`);
    }
    for (const match of code.matchAll(
      new RegExp(`'${CONTRACT_KEY}'\\s*(?:=>|,)\\s*(${LITERAL}\\s*\\+?|[A-Za-z_]\\w*)`, 'g')
    )) {
      add(valueOf(match[1] as string, constants), `'${CONTRACT_KEY}'`);
    }
    const sinks = sinkMethods([...own, ...factoryMethods], fields);
    for (const [name, positions] of sinks) {
      for (const call of code.matchAll(new RegExp(`\\b${escape(name)}\\s*\\(`, 'g'))) {
        const args = splitArgs(balanced(code, (call.index ?? 0) + call[0].length - 1));
        for (const pos of positions) add(valueOf(args[pos] ?? '', constants), `${name}(…)`);
      }
    }
    const literals = new Set([...code.matchAll(new RegExp(LITERAL, 'g'))].map((m) => m[1] as string));
    for (const example of contractExamples) {
      if (!example.name || !literals.has(example.name)) continue;
      const written = [
        ...(example.given ?? []),
        ...(example.status === 200 ? (example.request?.records ?? []) : [])
      ];
      for (const record of written) add(record.contactId, `contract example "${example.name}"`);
    }
    if (family && [...family.makers].some((m) => new RegExp(`\\b${FACTORY}\\.${m}\\s*\\(`).test(code))) {
      add(family.family, `${FACTORY} generated ids`);
    }
    result.set(test.name, values);
  }
  return result;
}

function overlaps(a: string, b: string): boolean {
  const prefixA = a.endsWith('*') ? a.slice(0, -1) : null;
  const prefixB = b.endsWith('*') ? b.slice(0, -1) : null;
  if (prefixA !== null && prefixB !== null) return prefixA.startsWith(prefixB) || prefixB.startsWith(prefixA);
  if (prefixA !== null) return b.startsWith(prefixA);
  if (prefixB !== null) return a.startsWith(prefixB);
  return a.toLowerCase() === b.toLowerCase(); // unique fields compare case-insensitively
}

export function sharedValues(byClass: Map<string, Map<string, string>>): string[] {
  const problems: string[] = [];
  const entries = [...byClass.entries()];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const [nameA, valuesA] = entries[i] as [string, Map<string, string>];
      const [nameB, valuesB] = entries[j] as [string, Map<string, string>];
      for (const [a, whereA] of valuesA) {
        for (const [b, whereB] of valuesB) {
          if (overlaps(a, b)) {
            problems.push(
              `${nameA} (${whereA}: "${a}") and ${nameB} (${whereB}: "${b}") write the same unique value; ` +
                'parallel test runs would lock each other (UNABLE_TO_LOCK_ROW)'
            );
          }
        }
      }
    }
  }
  return problems;
}

export function loadInputs(sourceDir: string, contractFile: string): Inputs {
  const classes = walk(sourceDir, (n) => n.endsWith('.cls')).map((file) =>
    apexClass(basename(file, '.cls'), file, readFileSync(file, 'utf8'))
  );
  const contract = existsSync(contractFile)
    ? (JSON.parse(readFileSync(contractFile, 'utf8')) as { examples?: ContractExample[] })
    : {};
  return { classes, fields: uniqueFields(sourceDir), contractExamples: contract.examples ?? [] };
}

function main(): number {
  const sourceDir = resolve(ROOT, process.argv[2] ?? 'force-app');
  const contractFile = resolve(
    process.argv[3] ?? join(sourceDir, 'main/default/staticresources/ConnectDisconnectContract.json')
  );
  const inputs = loadInputs(sourceDir, contractFile);
  const byClass = valuesByClass(inputs);
  const problems = sharedValues(byClass);
  const count = [...byClass.values()].reduce((sum, values) => sum + values.size, 0);
  console.log(
    `test values: ${count} unique values (${inputs.fields.join(', ')}) in ${byClass.size} test classes`
  );
  if (problems.length > 0) {
    for (const problem of problems) console.error(`  ${problem}`);
    console.error(`test values: ${problems.length} value(s) shared between test classes`);
    return 1;
  }
  console.log('test values: every test class writes unique values of its own');
  return 0;
}

if (require.main === module) {
  process.exit(main());
}
