// scripts/check-picklist-values.ts: every picklist value the settings or the Apex write must exist in the
// shipped metadata or in the standard value set of a fresh org (issue 9: the chat Case Origin "Chat").
import * as path from 'node:path';
import { checkPicklistValues } from '../../../scripts/check-picklist-values';
import { runCheck } from './support/runCheck';
import { tempProject, type TempProject } from './support/sfProject';

const DEFAULT = 'force-app/main/default';
const SETTINGS = `${DEFAULT}/customMetadata/Connect_Callback_Setting.Default.md-meta.xml`;
const STATUS_FIELD = `${DEFAULT}/objects/Case/fields/Callback_Status__c.field-meta.xml`;

let project: TempProject;
beforeEach(() => {
  project = tempProject([SETTINGS, STATUS_FIELD, `${DEFAULT}/classes/CallbackSettings.cls`]);
});
afterEach(() => project.remove());

const source = () => path.join(project.dir, 'force-app');
const withChat = (xml: string) =>
  xml.replace(
    /(<field>Chat_Case_Origin__c<\/field>\s*<value[^>]*>)[^<]*</,
    (_all, head: string) => `${head}Chat<`
  );

describe('check-picklist-values', () => {
  it('passes the shipped settings and defaults', () => {
    const { problems, checked } = checkPicklistValues(source());
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it('fails a settings record whose chat Case Origin is Chat, which a fresh org does not have', () => {
    project.write(SETTINGS, withChat(project.read(SETTINGS)));
    const run = runCheck('check-picklist-values.ts', [source()]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      '(Chat_Case_Origin__c): "Chat" is not a value of the Origin picklist (known: Phone, Email, Web)'
    );
  }, 60_000);

  it('accepts Chat once the project ships a Case Origin value set with it', () => {
    project.write(SETTINGS, withChat(project.read(SETTINGS)));
    project.write(
      `${DEFAULT}/standardValueSets/CaseOrigin.standardValueSet-meta.xml`,
      '<StandardValueSet><sorted>false</sorted><standardValue><fullName>Chat</fullName></standardValue></StandardValueSet>'
    );
    expect(checkPicklistValues(source()).problems).toEqual([]);
  });

  it('fails Apex that writes a literal or a constant missing from a custom picklist', () => {
    project.write(
      `${DEFAULT}/classes/Closer.cls`,
      [
        'public with sharing class Closer {',
        "  private static final String DONE = 'Done';",
        '  public void close(Case c, Case d) {',
        "    c.Callback_Status__c = 'Reached';",
        '    d.Callback_Status__c = DONE;',
        "    Case e = new Case(Callback_Status__c = 'Finished', Origin = 'Fax');",
        "    if (c.Callback_Status__c == 'Whatever') { return; }",
        '  }',
        '}'
      ].join('\n')
    );
    const problems = checkPicklistValues(source()).problems;
    expect(problems).toEqual([
      expect.stringContaining('Closer.cls:5: "Done" is not a value of the Callback_Status__c picklist'),
      expect.stringContaining('Closer.cls:6: "Finished" is not a value of the Callback_Status__c picklist'),
      expect.stringContaining('Closer.cls:6: "Fax" is not a value of the Origin picklist')
    ]);
  });

  it('ignores test classes (they may pin any value in memory)', () => {
    project.write(
      `${DEFAULT}/classes/CloserTest.cls`,
      "@IsTest\nprivate class CloserTest {\n  @IsTest static void t() { Case c = new Case(Origin = 'Voice'); }\n}\n"
    );
    expect(checkPicklistValues(source()).problems).toEqual([]);
  });
});
