/**
 * Builds the deploy package exactly as `sf project deploy start` does (the CLI's own
 * @salesforce/source-deploy-retrieve: ComponentSet.fromSource → MetadataConverter zip with its package.xml) and
 * checks that every member the package.xml names has its files in the zip. The Metadata API rejects a whole
 * deploy when one named component is missing ("An object 'types' of type LightningComponentBundle was named in
 * package.xml, but was not found in zipped directory"), e.g. a folder under lwc/ whose files are all forceignored.
 *
 * Usage: npx tsx scripts/check-deploy-package.ts [PROJECT_DIR=repository root]   (package directories from
 * its sfdx-project.json)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { packageMembers } from './check-convert';

const ROOT = resolve(__dirname, '..');

/** The source-deploy-retrieve (and its jszip) that the project's pinned Salesforce CLI deploys with. */
function cliModules(): { sdr: Sdr; JSZip: JsZipStatic } {
  // The plugin's package.json is not exported; resolve from its folder instead.
  const pluginDir = join(ROOT, 'node_modules', '@salesforce', 'plugin-deploy-retrieve');
  const fromCli = createRequire(join(pluginDir, 'index.js'));
  const sdrPath = fromCli.resolve('@salesforce/source-deploy-retrieve');
  const fromSdr = createRequire(sdrPath);
  return { sdr: fromCli(sdrPath) as Sdr, JSZip: fromSdr('jszip') as JsZipStatic };
}

// Only what this check uses of the library (its full typings cost ts-jest over a minute to load).
interface MetadataType {
  id: string;
  directoryName?: string;
  strategies?: { adapter?: string };
}
interface Sdr {
  ComponentSet: { fromSource(options: { fsPaths: string[] }): unknown };
  MetadataConverter: new () => {
    convert(
      components: unknown,
      format: 'metadata',
      output: { type: 'zip' }
    ): Promise<{ zipBuffer?: Buffer }>;
  };
  RegistryAccess: new () => {
    getTypeByName(name: string): MetadataType;
    getParentType(id: string): MetadataType | undefined;
  };
}
interface JsZipStatic {
  loadAsync(data: Buffer): Promise<{ files: Record<string, { dir: boolean }> }>;
}

export interface DeployPackage {
  packageXml: string;
  /** Paths in the zip (files only), relative to its root, '/'-separated. */
  files: string[];
}

/** The zip the CLI would send for a source deploy of the project's package directories. */
export async function buildDeployPackage(projectDir: string): Promise<DeployPackage> {
  const { sdr, JSZip } = cliModules();
  const project = JSON.parse(readFileSync(join(projectDir, 'sfdx-project.json'), 'utf8')) as {
    packageDirectories: { path: string }[];
  };
  const fsPaths = project.packageDirectories.map((dir) => resolve(projectDir, dir.path));
  const components = sdr.ComponentSet.fromSource({ fsPaths }) as { getPackageXml(): Promise<string> };
  const packageXml = await components.getPackageXml();
  const { zipBuffer } = await new sdr.MetadataConverter().convert(components, 'metadata', { type: 'zip' });
  if (!zipBuffer) throw new Error('the converter produced no zip');
  const zip = await JSZip.loadAsync(zipBuffer);
  const files = Object.entries(zip.files)
    .filter(([, entry]) => !entry.dir)
    .map(([name]) => name.replace(/^unpackaged\//, '').replace(/^\.\//, ''));
  return { packageXml, files };
}

interface TypeInfo {
  directoryName: string;
  /** Bundle types (LWC, Aura): a component is a folder of files. */
  bundle: boolean;
  /** Child types live inside their parent's file (CustomField in objects/Case.object). */
  parentDirectory?: string;
}

function typeInfo(sdr: Sdr, typeName: string): TypeInfo | undefined {
  const registry = new sdr.RegistryAccess();
  let type: MetadataType;
  try {
    type = registry.getTypeByName(typeName);
  } catch {
    return undefined;
  }
  const adapter = type.strategies?.adapter;
  const parents = registry.getParentType(type.id);
  return {
    directoryName: type.directoryName ?? '',
    bundle: adapter === 'bundle',
    parentDirectory: parents?.directoryName
  };
}

/** Every package.xml member without files in the package; an empty list means the deploy can find them all. */
export function membersWithoutFiles(pkg: DeployPackage): string[] {
  const { sdr } = cliModules();
  const problems: string[] = [];
  const files = pkg.files;
  for (const [typeName, members] of packageMembers(pkg.packageXml)) {
    const info = typeInfo(sdr, typeName);
    if (!info) {
      problems.push(`${typeName}: type unknown to the CLI's registry`);
      continue;
    }
    for (const member of members) {
      if (member === '*') continue;
      let found: boolean;
      if (info.parentDirectory !== undefined) {
        const parent = member.split('.')[0] ?? '';
        found = files.some((f) => f.startsWith(`${info.parentDirectory}/${parent}.`));
      } else {
        // A report or dashboard folder is listed as "Folder/" and deployed as its "Folder-meta.xml" file.
        const name = member.replace(/\/$/, '');
        const folder = `${info.directoryName}/${name}/`;
        const file = `${info.directoryName}/${name}.`;
        const inFolder = files.some((f) => f.startsWith(folder));
        const asFile = files.some((f) => f.startsWith(file) && !f.slice(file.length).includes('/'));
        const folderMeta = member.endsWith('/') && files.includes(`${info.directoryName}/${name}-meta.xml`);
        // Bundles are always a folder; mixed-content types (static resources) may be either.
        found = inFolder || (!info.bundle && asFile) || folderMeta;
      }
      if (!found) {
        problems.push(
          `${typeName} "${member}" is named in package.xml but has no files in the deploy package ` +
            `(the Metadata API would reject the whole deploy)`
        );
      }
    }
  }
  return problems;
}

export async function checkDeployPackage(
  projectDir: string
): Promise<{ problems: string[]; summary: string }> {
  const pkg = await buildDeployPackage(projectDir);
  const summary = [...packageMembers(pkg.packageXml).entries()]
    .map(([type, set]) => `${type} ${set.size}`)
    .join(', ');
  return { problems: membersWithoutFiles(pkg), summary: `${pkg.files.length} files; ${summary}` };
}

async function main(): Promise<number> {
  const projectDir = resolve(process.argv[2] ?? ROOT);
  const { problems, summary } = await checkDeployPackage(projectDir);
  console.log(`deploy package (CLI source-deploy-retrieve): ${summary}`);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`  ${problem}`);
    console.error(`deploy package: ${problems.length} problem(s)`);
    return 1;
  }
  console.log('deploy package: every package.xml member has its files');
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`deploy package: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  );
}
