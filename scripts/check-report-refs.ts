/**
 * Offline check that reporting metadata names only what exists, because a deploy accepts (or fails late on) a
 * report or dashboard that points at nothing, and no org is here to run them:
 * - report types: every column's table is the base object or a joined relationship path it declares, and every
 *   column's field exists on that object (a custom field in the source tree, or a known standard field);
 * - reports: the report folder exists, the report type exists, and every field the report names (columns,
 *   groupings, filters, time frame, chart) is a column of that report type;
 * - dashboards: the dashboard folder exists, every component's report exists, the columns a component charts or
 *   groups by are columns or groupings of that report (with the aggregate the report computes), and the tile fits
 *   the grid;
 * - report and dashboard folders: every group a folder is shared with exists;
 * - descriptions, headers and footers within the Metadata API's length limits.
 *
 * Usage: npx tsx scripts/check-report-refs.ts [SOURCE_DIR=force-app]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/** Standard fields the project's report types may use, per object (Task and Event fields live on Activity). */
export const STANDARD_FIELDS: Record<string, ReadonlySet<string>> = {
  Case: new Set([
    'CaseNumber',
    'Subject',
    'Status',
    'IsClosed',
    'Origin',
    'Priority',
    'CreatedDate',
    'ClosedDate',
    'LastModifiedDate'
  ]),
  Activity: new Set([
    'Subject',
    'Status',
    'ActivityDate',
    'CreatedDate',
    'Priority',
    'TaskSubtype',
    'IsClosed'
  ])
};

/** Child relationships a report type may join, per parent object → the child's object. */
export const RELATIONSHIPS: Record<string, Record<string, string>> = {
  Case: {
    Activities: 'Activity',
    Tasks: 'Activity',
    OpenActivities: 'Activity',
    ActivityHistories: 'Activity'
  }
};

const LIMITS = { description: 255, header: 80, footer: 255, title: 80 } as const;

function walk(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path, accept);
    return accept(entry.name) ? [path] : [];
  });
}

/** The text of every `<tag>…</tag>` directly in `xml` (no nesting of the same tag). */
export function blocks(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1] as string);
}

export function values(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => (m[1] as string).trim());
}

const first = (xml: string, tag: string): string | undefined => values(xml, tag)[0];

interface Model {
  dir: string;
  /** "Object.Field" for every custom field in the source tree. */
  customFields: Set<string>;
  /** report type developer name → its columns as "table$field". */
  reportTypes: Map<string, Set<string>>;
  groups: Set<string>;
}

function fieldExists(model: Model, object: string, field: string): boolean {
  return model.customFields.has(`${object}.${field}`) || (STANDARD_FIELDS[object]?.has(field) ?? false);
}

/** Joined tables of a report type: "Case" → "Case", "Case.Activities" → "Activity", with problems. */
function joinedTables(base: string, xml: string, where: string, problems: string[]): Map<string, string> {
  const tables = new Map([[base, base]]);
  let parentPath = base;
  let parentObject = base;
  // A nested <join> is written before its parent's <relationship>: the last relationship is the first join.
  const chain = values(xml.replace(/<sections>[\s\S]*<\/sections>/g, ''), 'relationship').reverse();
  for (const relationship of chain) {
    const child = RELATIONSHIPS[parentObject]?.[relationship];
    if (!child) {
      problems.push(`${where}: ${parentObject} has no child relationship ${relationship} this check knows`);
      break;
    }
    parentPath = `${parentPath}.${relationship}`;
    parentObject = child;
    tables.set(parentPath, child);
  }
  return tables;
}

function checkReportTypes(model: Model, problems: string[]): void {
  for (const file of walk(join(model.dir, 'reportTypes'), (n) => n.endsWith('.reportType-meta.xml'))) {
    const name = basename(file, '.reportType-meta.xml');
    const where = relative(ROOT, file);
    const xml = readFileSync(file, 'utf8');
    const base = first(xml, 'baseObject') ?? '';
    const tables = joinedTables(base, xml, where, problems);
    const columns = new Set<string>();
    for (const column of blocks(xml, 'columns')) {
      const field = first(column, 'field') ?? '';
      const table = first(column, 'table') ?? '';
      const object = tables.get(table);
      if (!object)
        problems.push(`${where}: column ${field} is on table ${table}, which the report type does not join`);
      else if (!fieldExists(model, object, field))
        problems.push(`${where}: field ${object}.${field} does not exist`);
      columns.add(`${table}$${field}`);
    }
    lengthLimits(xml, where, problems);
    model.reportTypes.set(name, columns);
  }
}

function lengthLimits(xml: string, where: string, problems: string[]): void {
  for (const [tag, max] of Object.entries(LIMITS)) {
    for (const value of values(xml, tag)) {
      if (value.length > max)
        problems.push(`${where}: <${tag}> is ${value.length} characters (limit ${max})`);
    }
  }
}

function checkFolder(
  model: Model,
  kind: 'report' | 'dashboard',
  folder: string,
  where: string,
  problems: string[]
) {
  const meta = join(model.dir, `${kind}s`, `${folder}.${kind}Folder-meta.xml`);
  if (!existsSync(meta)) {
    problems.push(`${where}: folder ${folder} has no ${kind}s/${folder}.${kind}Folder-meta.xml`);
    return;
  }
  for (const share of blocks(readFileSync(meta, 'utf8'), 'folderShares')) {
    const to = first(share, 'sharedTo') ?? '';
    if (first(share, 'sharedToType') === 'Group' && !model.groups.has(to))
      problems.push(`${relative(ROOT, meta)}: shared with group ${to}, which does not exist`);
  }
}

interface ReportInfo {
  /** Fields shown as columns, with the aggregates computed on each. */
  columns: Map<string, Set<string>>;
  groupings: Set<string>;
}

/** Every field a report names, by where it names it. */
function reportFieldRefs(xml: string): [string, string][] {
  const refs: [string, string][] = [];
  for (const column of blocks(xml, 'columns')) refs.push(['column', first(column, 'field') ?? '']);
  for (const tag of ['groupingsDown', 'groupingsAcross'])
    for (const g of blocks(xml, tag)) refs.push(['grouping', first(g, 'field') ?? '']);
  for (const item of blocks(xml, 'criteriaItems')) refs.push(['filter', first(item, 'column') ?? '']);
  for (const t of blocks(xml, 'timeFrameFilter')) refs.push(['time frame', first(t, 'dateColumn') ?? '']);
  for (const chart of blocks(xml, 'chart')) {
    for (const tag of ['groupingColumn', 'secondaryGroupingColumn'])
      for (const v of values(chart, tag)) refs.push(['chart', v]);
    for (const v of values(chart, 'column')) if (v !== 'RowCount') refs.push(['chart', v]);
  }
  return refs;
}

function checkReports(model: Model, problems: string[]): Map<string, ReportInfo> {
  const reports = new Map<string, ReportInfo>();
  for (const file of walk(join(model.dir, 'reports'), (n) => n.endsWith('.report-meta.xml'))) {
    const folder = basename(dirname(file));
    const name = `${folder}/${basename(file, '.report-meta.xml')}`;
    const where = relative(ROOT, file);
    const xml = readFileSync(file, 'utf8');
    checkFolder(model, 'report', folder, where, problems);
    lengthLimits(xml, where, problems);
    const type = first(xml, 'reportType') ?? '';
    const columnsOfType = type.endsWith('__c') ? model.reportTypes.get(type.slice(0, -3)) : undefined;
    if (type.endsWith('__c') && !columnsOfType) problems.push(`${where}: report type ${type} does not exist`);
    if (columnsOfType) {
      for (const [what, field] of reportFieldRefs(xml)) {
        if (!columnsOfType.has(field)) problems.push(`${where}: ${what} ${field} is not a column of ${type}`);
      }
    }
    const columns = new Map<string, Set<string>>();
    for (const column of blocks(xml, 'columns'))
      columns.set(first(column, 'field') ?? '', new Set(values(column, 'aggregateTypes')));
    const groupings = new Set(
      ['groupingsDown', 'groupingsAcross'].flatMap((tag) =>
        blocks(xml, tag).map((g) => first(g, 'field') ?? '')
      )
    );
    reports.set(name, { columns, groupings });
  }
  return reports;
}

function checkDashboards(model: Model, reports: Map<string, ReportInfo>, problems: string[]): void {
  for (const file of walk(join(model.dir, 'dashboards'), (n) => n.endsWith('.dashboard-meta.xml'))) {
    const folder = basename(dirname(file));
    const where = relative(ROOT, file);
    const xml = readFileSync(file, 'utf8');
    checkFolder(model, 'dashboard', folder, where, problems);
    lengthLimits(xml, where, problems);
    const gridColumns = Number(first(xml, 'numberOfColumns') ?? '12');
    for (const tile of blocks(xml, 'dashboardGridComponents')) {
      const component = blocks(tile, 'dashboardComponent')[0] ?? '';
      const header = first(component, 'header') ?? '(no header)';
      const at = `${where}: "${header}"`;
      const columnIndex = Number(first(tile, 'columnIndex'));
      const colSpan = Number(first(tile, 'colSpan'));
      if (!(columnIndex >= 0 && colSpan >= 1 && columnIndex + colSpan <= gridColumns))
        problems.push(`${at}: columns ${columnIndex}+${colSpan} do not fit the ${gridColumns}-column grid`);
      const reportName = first(component, 'report');
      if (!reportName) continue;
      const report = reports.get(reportName);
      if (!report) {
        problems.push(`${at}: report ${reportName} does not exist`);
        continue;
      }
      for (const grouping of values(component, 'groupingColumn')) {
        if (!report.groupings.has(grouping))
          problems.push(`${at}: ${grouping} is not a grouping of ${reportName}`);
      }
      for (const summary of blocks(component, 'chartSummary')) {
        const column = first(summary, 'column') ?? '';
        if (column === 'RowCount') continue;
        const aggregates = report.columns.get(column);
        const aggregate = first(summary, 'aggregate');
        if (!aggregates) problems.push(`${at}: ${column} is not a column of ${reportName}`);
        else if (aggregate && !aggregates.has(aggregate))
          problems.push(`${at}: ${reportName} does not compute the ${aggregate} of ${column}`);
      }
    }
  }
}

/** Every problem found under `sourceDir` (empty when all references resolve). */
export function checkReportRefs(sourceDir: string): string[] {
  const dir = join(sourceDir, 'main', 'default');
  const model: Model = {
    dir,
    customFields: new Set(
      walk(join(dir, 'objects'), (n) => n.endsWith('.field-meta.xml')).map(
        (f) => `${basename(dirname(dirname(f)))}.${basename(f, '.field-meta.xml')}`
      )
    ),
    reportTypes: new Map(),
    groups: new Set(
      walk(join(dir, 'groups'), (n) => n.endsWith('.group-meta.xml')).map((f) =>
        basename(f, '.group-meta.xml')
      )
    )
  };
  const problems: string[] = [];
  checkReportTypes(model, problems);
  const reports = checkReports(model, problems);
  checkDashboards(model, reports, problems);
  return problems;
}

function main(): number {
  const sourceDir = resolve(ROOT, process.argv[2] ?? 'force-app');
  const problems = checkReportRefs(sourceDir);
  for (const p of problems) console.error(p);
  if (problems.length > 0) return 1;
  const count = (sub: string, suffix: string): number =>
    walk(join(sourceDir, 'main', 'default', sub), (n) => n.endsWith(suffix)).length;
  console.log(
    `report references: ${count('reportTypes', '.reportType-meta.xml')} report types, ` +
      `${count('reports', '.report-meta.xml')} reports, ${count('dashboards', '.dashboard-meta.xml')} dashboards — every name resolves`
  );
  return 0;
}

if (require.main === module) process.exit(main());
