/**
 * Custom fields referenced by Apex must exist in the project. The Apex language server (apex-ls) checks
 * `new Case(Field__c = …)` but not fields inside SOQL/SOSL, nor most `record.Field__c` reads, so a typo there
 * would only fail at deploy (or, for dynamic SOQL, at run time). This script:
 *  - finds static SOQL/SOSL ([SELECT …], [FIND …]) and dynamic queries (string literals, including ones built
 *    with +, that contain SELECT … FROM) in every .cls/.trigger under force-app;
 *  - resolves each custom field (anything ending __c, relationship paths included) to its object and fails
 *    unless objects/<Object>/fields/<Field>.field-meta.xml exists (custom objects in FROM must exist too);
 *  - fails on any other `Name__c` token in Apex code that is not a field (or object) of the project.
 * Namespaced names (ns__Name__c) belong to installed packages and are skipped.
 *
 * Usage: npx tsx scripts/check-soql-fields.ts [DIR] (default force-app)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { findQueries, sourceOffset, stripComments } from './apex-source';

// Kept exported from here: the offline-check tests import them from this file.
export { findQueries, stripComments };

const ROOT = resolve(__dirname, '..');

/** Standard relationship names → target object; others resolve through the lookup's referenceTo. */
/** Child relationship names used in sub-queries (FROM Cases) → object. */
const CHILD_RELATIONSHIPS: Record<string, string> = {
  cases: 'Case',
  contacts: 'Contact',
  tasks: 'Task',
  events: 'Event',
  casecomments: 'CaseComment',
  openactivities: 'OpenActivity',
  activityhistories: 'ActivityHistory'
};

const STANDARD_RELATIONSHIPS: Record<string, string> = {
  account: 'Account',
  contact: 'Contact',
  case: 'Case',
  createdby: 'User',
  lastmodifiedby: 'User',
  who: 'Contact',
  what: 'Case'
};

export interface Schema {
  /** object API name (lower case) → field API names (lower case) → referenceTo (lookups) or '' */
  objects: Map<string, Map<string, string>>;
  /** lower case → API name as written in the project */
  names: Map<string, string>;
}

export interface Problem {
  file: string;
  line: number;
  message: string;
}

function walk(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path, accept);
    return accept(entry.name) ? [path] : [];
  });
}

export function loadSchema(sourceDir: string): Schema {
  const objects = new Map<string, Map<string, string>>();
  const names = new Map<string, string>();
  for (const objectsDir of findObjectsDirs(sourceDir)) {
    for (const entry of readdirSync(objectsDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const object = entry.name;
      names.set(object.toLowerCase(), object);
      const fields = objects.get(object.toLowerCase()) ?? new Map<string, string>();
      const fieldsDir = join(objectsDir, object, 'fields');
      if (existsSync(fieldsDir)) {
        for (const file of readdirSync(fieldsDir)) {
          if (!file.endsWith('.field-meta.xml')) continue;
          const field = file.slice(0, -'.field-meta.xml'.length);
          const xml = readFileSync(join(fieldsDir, file), 'utf8');
          const referenceTo = /<referenceTo>([^<]+)<\/referenceTo>/.exec(xml)?.[1]?.trim() ?? '';
          fields.set(field.toLowerCase(), referenceTo);
          names.set(field.toLowerCase(), field);
        }
      }
      objects.set(object.toLowerCase(), fields);
      // Custom activity fields are defined once on Activity and exist on both Task and Event.
      if (object === 'Activity') ['task', 'event'].forEach((activity) => objects.set(activity, fields));
    }
  }
  return { objects, names };
}

function findObjectsDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.name === 'objects') found.push(path);
    else found.push(...findObjectsDirs(path));
  }
  return found;
}

/** Blanks quoted literals inside a query and bind expressions (:name, :a.b) so they are not read as fields. */
function maskQuery(text: string): string {
  return text
    .replace(/'(?:\\.|[^'\\])*'/g, (s) => ' '.repeat(s.length))
    .replace(/:\s*[A-Za-z_][\w.]*/g, (s) => ' '.repeat(s.length));
}

interface FieldRef {
  object: string;
  path: string[];
  at: number;
}

/**
 * Field references of one SOQL/SOSL text with their object. Parenthesised sub-queries get their own FROM;
 * SOSL RETURNING Obj(fields) groups use Obj. fallbackObject is used for fragments without FROM.
 */
export function fieldRefs(
  rawText: string,
  fallbackObject: string | null
): { refs: FieldRef[]; objects: string[] } {
  const text = maskQuery(rawText);
  const refs: FieldRef[] = [];
  const objects: string[] = [];
  // Innermost parentheses first: a (SELECT … FROM X …) or SOSL Obj(…) group is analysed, then blanked.
  let working = text;
  const group = /(\b[A-Za-z_]\w*\s*)?\(([^()]*)\)/g;
  let changed = true;
  while (changed) {
    changed = false;
    working = working.replace(group, (whole, prefix: string | undefined, inner: string, at: number) => {
      const innerAt = at + whole.indexOf('(') + 1;
      if (/^\s*SELECT\b/i.test(inner)) {
        const named = /\bFROM\s+([A-Za-z_]\w*)/i.exec(inner)?.[1] ?? null;
        const from = named ? (CHILD_RELATIONSHIPS[named.toLowerCase()] ?? named) : null;
        if (from) objects.push(from);
        collect(inner, innerAt, from, refs);
      } else if (
        prefix &&
        /\bRETURNING\b[\s\S]*$/i.test(text.slice(0, at + prefix.length)) &&
        !isKeyword(prefix)
      ) {
        const object = prefix.trim();
        objects.push(object);
        collect(inner, innerAt, object, refs);
      } else {
        // Plain grouping (WHERE (a OR b), IN (…)): drop the parentheses, keep the text for the enclosing query.
        changed = true;
        return whole.replace(/[()]/g, ' ');
      }
      changed = true;
      return (prefix ?? '') + ' '.repeat(whole.length - (prefix ?? '').length);
    });
  }
  const from = /\bFROM\s+([A-Za-z_]\w*)/i.exec(working)?.[1] ?? null;
  if (from) objects.push(from);
  if (!/^\s*FIND\b/i.test(working)) collect(working, 0, from ?? fallbackObject, refs);
  return { refs, objects };
}

const KEYWORDS = new Set(['in', 'not', 'and', 'or', 'where', 'includes', 'excludes', 'returning', 'select']);
function isKeyword(word: string): boolean {
  return KEYWORDS.has(word.trim().toLowerCase());
}

function collect(text: string, base: number, object: string | null, refs: FieldRef[]): void {
  if (!object) return;
  const token = /\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/g;
  let match: RegExpExecArray | null;
  while ((match = token.exec(text)) !== null) {
    const path = match[0].split('.');
    if (!path.some((part) => /__c$/i.test(part))) continue;
    refs.push({ object, path, at: base + match.index });
  }
}

function isNamespaced(name: string): boolean {
  return /^[A-Za-z]\w*?__\w+__(c|r|e|mdt)$/i.test(name);
}

/** Checks one path (e.g. Contact.Account.Rel__r.Field__c) from object; returns a message or null. */
export function checkPath(schema: Schema, object: string, path: string[]): string | null {
  let current = object;
  const parts = [...path];
  // SOQL allows qualifying a field with its object name: Case.Field__c.
  if (parts.length > 1 && (parts[0] as string).toLowerCase() === current.toLowerCase()) parts.shift();
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const last = i === parts.length - 1;
    if (isNamespaced(part)) return null;
    if (last) {
      if (!/__c$/i.test(part)) return null;
      const fields = schema.objects.get(current.toLowerCase());
      if (!fields) return `${current}.${part}: object ${current} has no metadata in the project`;
      return fields.has(part.toLowerCase())
        ? null
        : `${current}.${part}: no ${current}/fields/${part}.field-meta.xml`;
    }
    if (/__r$/i.test(part)) {
      const lookup = part.replace(/__r$/i, '__c');
      const fields = schema.objects.get(current.toLowerCase());
      const target = fields?.get(lookup.toLowerCase());
      if (target === undefined)
        return `${current}.${part}: no lookup ${current}/fields/${lookup}.field-meta.xml`;
      if (!target) return null;
      current = target;
    } else {
      const target =
        STANDARD_RELATIONSHIPS[part.toLowerCase()] ?? (part.toLowerCase() === 'parent' ? current : null);
      if (!target) return null; // polymorphic or unknown standard relationship: cannot resolve offline
      current = target;
    }
  }
  return null;
}

function lineOf(code: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < code.length; i++) if (code[i] === '\n') line++;
  return line;
}

export function checkFile(schema: Schema, file: string, source: string): Problem[] {
  const code = stripComments(source);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const report = (offset: number, message: string): void => {
    const line = lineOf(code, offset);
    const key = `${line}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ file, line, message });
  };

  const inQueries: Array<[number, number]> = [];
  let lastObject: string | null = null;
  for (const query of findQueries(code)) {
    const { refs, objects } = fieldRefs(query.text, query.dynamic ? lastObject : null);
    for (const object of objects) {
      if (
        /__(c|e|mdt|b|x)$/i.test(object) &&
        !isNamespaced(object) &&
        !schema.objects.has(object.toLowerCase())
      ) {
        report(query.offset, `query FROM ${object}: no objects/${object} in the project`);
      }
    }
    const main = /\bFROM\s+([A-Za-z_]\w*)/i.exec(maskQuery(query.text).replace(/\([^()]*\)/g, ' '))?.[1];
    if (query.dynamic && main) lastObject = main;
    for (const ref of refs) {
      const message = checkPath(schema, ref.object, ref.path);
      if (message) report(sourceOffset(query, ref.at), `SOQL field ${message}`);
    }
    if (!query.dynamic) inQueries.push([query.offset, query.offset + query.text.length]);
  }

  // Outside queries: every Name__c token must be a field (or object) somewhere in the project.
  const codeOnly = code.replace(/'(?:\\.|[^'\\\n])*'/g, (s) => ' '.repeat(s.length));
  const token = /\b[A-Za-z_]\w*__c\b/gi;
  let match: RegExpExecArray | null;
  while ((match = token.exec(codeOnly)) !== null) {
    const at = match.index;
    if (inQueries.some(([start, end]) => at >= start && at < end)) continue;
    const name = match[0];
    if (isNamespaced(name) || schema.names.has(name.toLowerCase())) continue;
    report(at, `unknown custom field ${name}: no field-meta.xml of that name in the project`);
  }
  return problems;
}

function main(): number {
  const sourceDir = resolve(ROOT, process.argv[2] ?? 'force-app');
  const schema = loadSchema(sourceDir);
  const files = walk(sourceDir, (name) => /\.(cls|trigger)$/.test(name));
  const problems = files.flatMap((file) =>
    checkFile(schema, relative(ROOT, file), readFileSync(file, 'utf8'))
  );
  const fieldCount = [...schema.objects.values()].reduce((sum, fields) => sum + fields.size, 0);
  console.log(
    `SOQL fields: ${files.length} Apex files, ${schema.objects.size} objects / ${fieldCount} fields in metadata`
  );
  if (problems.length > 0) {
    for (const p of problems) console.error(`  ${p.file}:${p.line} ${p.message}`);
    console.error(`SOQL fields: ${problems.length} unknown field reference(s)`);
    return 1;
  }
  console.log('SOQL fields: every custom field referenced by Apex has metadata');
  return 0;
}

if (require.main === module) {
  process.exit(main());
}
