/**
 * Checks the output of `sf project convert source` (Metadata API format) against the source tree, because the
 * CLI silently drops a .cls whose -meta.xml is missing. Also checks that permission sets only reference
 * classes, objects and custom fields the project ships (or standard ones).
 *
 * Usage: npx tsx scripts/check-convert.ts CONVERTED_DIR [SOURCE_DIR=force-app]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

function walk(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path, accept);
    return accept(entry.name) ? [path] : [];
  });
}

/** package.xml → type name → members. */
export function packageMembers(xml: string): Map<string, Set<string>> {
  const types = new Map<string, Set<string>>();
  for (const block of xml.match(/<types>[\s\S]*?<\/types>/g) ?? []) {
    const name = /<name>([^<]+)<\/name>/.exec(block)?.[1]?.trim() ?? '';
    const members = [...block.matchAll(/<members>([^<]+)<\/members>/g)].map((m) => (m[1] as string).trim());
    types.set(name, new Set([...(types.get(name) ?? []), ...members]));
  }
  return types;
}

function tagValues(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]+)</${tag}>`, 'g'))].map((m) => (m[1] as string).trim());
}

function main(): number {
  const convertedDir = process.argv[2];
  if (!convertedDir) {
    console.error('usage: check-convert.ts CONVERTED_DIR [SOURCE_DIR]');
    return 2;
  }
  const sourceDir = resolve(ROOT, process.argv[3] ?? 'force-app');
  const problems: string[] = [];
  const packageXml = join(convertedDir, 'package.xml');
  if (!existsSync(packageXml)) {
    console.error(`convert: no package.xml in ${convertedDir}`);
    return 1;
  }
  const members = packageMembers(readFileSync(packageXml, 'utf8'));

  const classFiles = walk(sourceDir, (name) => name.endsWith('.cls'));
  const classNames = new Set<string>();
  for (const file of classFiles) {
    const name = basename(file, '.cls');
    classNames.add(name);
    if (!existsSync(`${file}-meta.xml`)) problems.push(`${relative(ROOT, file)}: no ${name}.cls-meta.xml`);
    if (!members.get('ApexClass')?.has(name))
      problems.push(`${name}: not in the converted package.xml (ApexClass)`);
    if (!existsSync(join(convertedDir, 'classes', `${name}.cls`)))
      problems.push(`${name}.cls: not in the output`);
  }

  // Permission sets and queues must survive conversion and reference only what exists.
  const fieldFiles = walk(sourceDir, (name) => name.endsWith('.field-meta.xml'));
  // Custom activity fields live in objects/Activity and are granted as Task.X / Event.X.
  const fields = new Set(
    fieldFiles.flatMap((f) => {
      const object = basename(join(f, '../..'));
      const field = basename(f, '.field-meta.xml');
      return (object === 'Activity' ? ['Activity', 'Task', 'Event'] : [object]).map((o) => `${o}.${field}`);
    })
  );
  const objects = new Set(
    walk(sourceDir, (name) => name.endsWith('.object-meta.xml')).map((f) => basename(f, '.object-meta.xml'))
  );
  for (const file of walk(sourceDir, (name) => name.endsWith('.permissionset-meta.xml'))) {
    const name = basename(file, '.permissionset-meta.xml');
    const where = relative(ROOT, file);
    if (!members.get('PermissionSet')?.has(name)) problems.push(`${name}: permission set not in package.xml`);
    const xml = readFileSync(file, 'utf8');
    for (const apexClass of tagValues(xml, 'apexClass')) {
      if (!classNames.has(apexClass)) problems.push(`${where}: class ${apexClass} does not exist`);
    }
    for (const object of tagValues(xml, 'object')) {
      if (/__(c|e|mdt)$/.test(object) && !objects.has(object)) {
        problems.push(`${where}: object ${object} does not exist`);
      }
    }
    for (const field of tagValues(xml, 'field')) {
      if (/__c$/.test(field) && !fields.has(field)) problems.push(`${where}: field ${field} does not exist`);
    }
  }
  for (const file of walk(sourceDir, (name) => name.endsWith('.queue-meta.xml'))) {
    const name = basename(file, '.queue-meta.xml');
    if (!members.get('Queue')?.has(name)) problems.push(`${name}: queue not in package.xml`);
  }

  const summary = [...members.entries()].map(([type, set]) => `${type} ${set.size}`).join(', ');
  console.log(`convert: package.xml has ${summary}`);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`  ${problem}`);
    console.error(`convert: ${problems.length} problem(s)`);
    return 1;
  }
  console.log(
    `convert: all ${classFiles.length} Apex classes converted; permission sets reference existing metadata`
  );
  return 0;
}

if (require.main === module) {
  process.exit(main());
}
