// scripts/check-report-refs.ts: the project's reports and dashboards name only what exists, and each kind of
// broken reference is caught (proven on a small source tree the test writes and then breaks one way at a time).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkReportRefs } from '../../../scripts/check-report-refs';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

const FILES: Record<string, string> = {
  'objects/Case/fields/Drop_Category__c.field-meta.xml': `<CustomField ${NS}><fullName>Drop_Category__c</fullName></CustomField>`,
  'objects/Case/fields/Minutes_To_First_Attempt__c.field-meta.xml': `<CustomField ${NS}><fullName>Minutes_To_First_Attempt__c</fullName></CustomField>`,
  'objects/Activity/fields/Callback_Disposition__c.field-meta.xml': `<CustomField ${NS}><fullName>Callback_Disposition__c</fullName></CustomField>`,
  'groups/Sups.group-meta.xml': `<Group ${NS}><name>Sups</name></Group>`,
  'reportTypes/Calls.reportType-meta.xml': `<ReportType ${NS}>
    <baseObject>Case</baseObject>
    <join><outerJoin>true</outerJoin><relationship>Activities</relationship></join>
    <sections>
      <columns><field>CaseNumber</field><table>Case</table></columns>
      <columns><field>Drop_Category__c</field><table>Case</table></columns>
      <columns><field>Minutes_To_First_Attempt__c</field><table>Case</table></columns>
      <columns><field>Callback_Disposition__c</field><table>Case.Activities</table></columns>
      <masterLabel>Case</masterLabel>
    </sections>
  </ReportType>`,
  'reports/Recovery.reportFolder-meta.xml': `<ReportFolder ${NS}>
    <folderShares><accessLevel>View</accessLevel><sharedTo>Sups</sharedTo><sharedToType>Group</sharedToType></folderShares>
    <name>Recovery</name>
  </ReportFolder>`,
  'reports/Recovery/By_Category.report-meta.xml': `<Report ${NS}>
    <columns><field>Case$CaseNumber</field></columns>
    <columns><aggregateTypes>Average</aggregateTypes><field>Case$Minutes_To_First_Attempt__c</field></columns>
    <description>Drops by category.</description>
    <filter><criteriaItems><column>Case.Activities$Callback_Disposition__c</column><operator>notEqual</operator><value></value></criteriaItems></filter>
    <format>Summary</format>
    <groupingsDown><dateGranularity>None</dateGranularity><field>Case$Drop_Category__c</field><sortOrder>Asc</sortOrder></groupingsDown>
    <name>By category</name>
    <reportType>Calls__c</reportType>
    <timeFrameFilter><dateColumn>Case$CaseNumber</dateColumn><interval>INTERVAL_LAST30</interval></timeFrameFilter>
  </Report>`,
  'dashboards/Recovery.dashboardFolder-meta.xml': `<DashboardFolder ${NS}><name>Recovery</name></DashboardFolder>`,
  'dashboards/Recovery/Board.dashboard-meta.xml': `<Dashboard ${NS}>
    <dashboardGridLayout>
      <dashboardGridComponents>
        <colSpan>6</colSpan><columnIndex>0</columnIndex>
        <dashboardComponent>
          <chartSummary><aggregate>Average</aggregate><axisBinding>y</axisBinding><column>Case$Minutes_To_First_Attempt__c</column></chartSummary>
          <componentType>Bar</componentType>
          <groupingColumn>Case$Drop_Category__c</groupingColumn>
          <header>Minutes to first attempt</header>
          <report>Recovery/By_Category</report>
        </dashboardComponent>
        <rowIndex>0</rowIndex><rowSpan>4</rowSpan>
      </dashboardGridComponents>
      <numberOfColumns>12</numberOfColumns>
    </dashboardGridLayout>
    <title>Board</title>
  </Dashboard>`
};

let dir: string;
const file = (rel: string): string => path.join(dir, 'main', 'default', rel);
function edit(rel: string, from: string | RegExp, to: string): void {
  const before = fs.readFileSync(file(rel), 'utf8');
  const after = before.replace(from, to);
  expect(after).not.toBe(before);
  fs.writeFileSync(file(rel), after);
}
const problems = (): string[] => checkReportRefs(dir).map((p) => p.replace(/^.*main\/default\//, ''));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-refs-'));
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(file(rel)), { recursive: true });
    fs.writeFileSync(file(rel), text);
  }
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('check-report-refs', () => {
  it('passes the project’s own report types, reports and dashboards', () => {
    expect(checkReportRefs(path.join(ROOT, 'force-app'))).toEqual([]);
  });

  it('checks the Repeat droppers filter: Drops For Caller must be a column of its report type', () => {
    // The project's own reporting metadata, with the field taken out of the report type.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'report-refs-project-'));
    try {
      for (const sub of ['objects', 'groups', 'reportTypes', 'reports', 'dashboards']) {
        fs.cpSync(path.join(ROOT, 'force-app/main/default', sub), path.join(copy, 'main/default', sub), {
          recursive: true
        });
      }
      const reportType = path.join(
        copy,
        'main/default/reportTypes/Dropped_Call_Callbacks.reportType-meta.xml'
      );
      const xml = fs.readFileSync(reportType, 'utf8');
      const without = xml.replace(
        /\s*<columns>(?:(?!<\/columns>)[\s\S])*<field>Drops_For_Caller__c<\/field>[\s\S]*?<\/columns>/,
        ''
      );
      expect(without).not.toBe(xml);
      fs.writeFileSync(reportType, without);
      const repeat = 'reports/Dropped_Call_Recovery/Repeat_Droppers.report-meta.xml';
      expect(fs.readFileSync(path.join(copy, 'main/default', repeat), 'utf8')).toMatch(
        /<criteriaItems>\s*<column>Case\$Drops_For_Caller__c<\/column>[\s\S]*?<operator>greaterThan<\/operator>\s*<value>1<\/value>/
      );
      expect(checkReportRefs(copy).map((p) => p.replace(/^.*main\/default\//, ''))).toEqual([
        `${repeat}: column Case$Drops_For_Caller__c is not a column of Dropped_Call_Callbacks__c`,
        `${repeat}: filter Case$Drops_For_Caller__c is not a column of Dropped_Call_Callbacks__c`
      ]);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('passes a consistent tree', () => {
    expect(problems()).toEqual([]);
  });

  it('catches a report type column on a field that does not exist', () => {
    fs.rmSync(file('objects/Case/fields/Drop_Category__c.field-meta.xml'));
    expect(problems()).toEqual([
      'reportTypes/Calls.reportType-meta.xml: field Case.Drop_Category__c does not exist'
    ]);
  });

  it('catches a column on a table the report type does not join, and an unknown relationship', () => {
    edit(
      'reportTypes/Calls.reportType-meta.xml',
      '<table>Case.Activities</table>',
      '<table>Case.Emails</table>'
    );
    edit(
      'reportTypes/Calls.reportType-meta.xml',
      '<relationship>Activities</relationship>',
      '<relationship>Nope</relationship>'
    );
    expect(problems()).toEqual([
      'reportTypes/Calls.reportType-meta.xml: Case has no child relationship Nope this check knows',
      'reportTypes/Calls.reportType-meta.xml: column Callback_Disposition__c is on table Case.Emails, which the report type does not join',
      // The report's filter names a column the report type no longer has.
      'reports/Recovery/By_Category.report-meta.xml: filter Case.Activities$Callback_Disposition__c is not a column of Calls__c'
    ]);
  });

  it('catches a report on a missing report type, and report fields that are not columns of its type', () => {
    edit('reports/Recovery/By_Category.report-meta.xml', 'Case$Drop_Category__c', 'Case$Queue__c');
    edit(
      'reports/Recovery/By_Category.report-meta.xml',
      '<dateColumn>Case$CaseNumber',
      '<dateColumn>Case$Due__c'
    );
    expect(problems()).toEqual([
      'reports/Recovery/By_Category.report-meta.xml: grouping Case$Queue__c is not a column of Calls__c',
      'reports/Recovery/By_Category.report-meta.xml: time frame Case$Due__c is not a column of Calls__c',
      'dashboards/Recovery/Board.dashboard-meta.xml: "Minutes to first attempt": Case$Drop_Category__c is not a grouping of Recovery/By_Category'
    ]);
    edit('reports/Recovery/By_Category.report-meta.xml', 'Calls__c', 'Gone__c');
    expect(problems()).toContain(
      'reports/Recovery/By_Category.report-meta.xml: report type Gone__c does not exist'
    );
  });

  it('catches a dashboard on a missing report, a summary the report does not compute, and a tile off the grid', () => {
    edit('dashboards/Recovery/Board.dashboard-meta.xml', '<aggregate>Average', '<aggregate>Sum');
    edit('dashboards/Recovery/Board.dashboard-meta.xml', '<columnIndex>0', '<columnIndex>8');
    expect(problems()).toEqual([
      'dashboards/Recovery/Board.dashboard-meta.xml: "Minutes to first attempt": columns 8+6 do not fit the 12-column grid',
      'dashboards/Recovery/Board.dashboard-meta.xml: "Minutes to first attempt": Recovery/By_Category does not compute the Sum of Case$Minutes_To_First_Attempt__c'
    ]);
    edit('dashboards/Recovery/Board.dashboard-meta.xml', 'Recovery/By_Category', 'Recovery/Renamed');
    expect(problems()).toContain(
      'dashboards/Recovery/Board.dashboard-meta.xml: "Minutes to first attempt": report Recovery/Renamed does not exist'
    );
  });

  it('catches a missing folder, a share with a missing group, and a description over the limit', () => {
    fs.rmSync(file('dashboards/Recovery.dashboardFolder-meta.xml'));
    fs.rmSync(file('groups/Sups.group-meta.xml'));
    edit('reports/Recovery/By_Category.report-meta.xml', 'Drops by category.', 'x'.repeat(256));
    expect(problems()).toEqual([
      'reports/Recovery.reportFolder-meta.xml: shared with group Sups, which does not exist',
      'reports/Recovery/By_Category.report-meta.xml: <description> is 256 characters (limit 255)',
      'dashboards/Recovery/Board.dashboard-meta.xml: folder Recovery has no dashboards/Recovery.dashboardFolder-meta.xml'
    ]);
  });
});
