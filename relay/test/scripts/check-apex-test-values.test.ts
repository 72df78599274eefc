// scripts/check-apex-test-values.ts: no two Apex test classes may write the same unique value (issue 9: test
// classes run in parallel and lock each other on Connect_Contact_Id__c). Fed the broken cases it exists for.
import * as path from 'node:path';
import { loadInputs, sharedValues, valuesByClass } from '../../../scripts/check-apex-test-values';
import { runCheck } from './support/runCheck';
import { tempProject, type TempProject } from './support/sfProject';

const DEFAULT = 'force-app/main/default';
const CLASSES = `${DEFAULT}/classes`;
const CONTRACT = `${DEFAULT}/staticresources/ConnectDisconnectContract.json`;
const FIELD = `${DEFAULT}/objects/Case/fields/Connect_Contact_Id__c.field-meta.xml`;

let project: TempProject;
afterEach(() => project.remove());

const check = () =>
  sharedValues(
    valuesByClass(loadInputs(path.join(project.dir, 'force-app'), path.join(project.dir, CONTRACT)))
  );

/** A test class with one test method inserting a Case per given expression (a literal, a call, …). */
function testClass(name: string, body: string): void {
  project.write(
    `${CLASSES}/${name}.cls`,
    `@IsTest\nprivate class ${name} {\n  @IsTest\n  static void run() {\n${body}\n  }\n}\n`
  );
}

describe('check-apex-test-values on small projects', () => {
  beforeEach(() => {
    project = tempProject([FIELD]);
    project.write(CONTRACT, JSON.stringify({ examples: [] }));
  });

  it('passes two classes with values of their own', () => {
    testClass('ATest', "    insert new Case(Connect_Contact_Id__c = 'a-1');");
    testClass('BTest', "    insert new Case(Connect_Contact_Id__c = 'b-1');");
    expect(check()).toEqual([]);
  });

  it('fails two classes inserting the same literal (case-insensitive, like the unique index)', () => {
    testClass('ATest', "    insert new Case(Connect_Contact_Id__c = 'shared-1');");
    testClass('BTest', "    Case c = new Case();\n    c.Connect_Contact_Id__c = 'SHARED-1';\n    insert c;");
    expect(check()).toEqual([
      expect.stringMatching(/^ATest .*"shared-1".* and BTest .*"SHARED-1".*UNABLE_TO_LOCK_ROW/)
    ]);
  });

  it('follows constants, local helpers and factory parameters to the unique field', () => {
    project.write(
      `${CLASSES}/TestDataFactory.cls`,
      [
        '@IsTest',
        'public class TestDataFactory {',
        '  public static Map<String, Object> record(String contactId) {',
        "    return new Map<String, Object>{ 'contactId' => contactId };",
        '  }',
        '  public static Case insertOne(String id) { Case c = new Case(Connect_Contact_Id__c = id); insert c; return c; }',
        '}'
      ].join('\n')
    );
    testClass(
      'ATest',
      "    String body = JSON.serialize(TestDataFactory.record(ID));\n    insert new Case();\n  }\n  private static final String ID = 'dup';\n  static void x() {"
    );
    testClass(
      'BTest',
      "    drop(null, 'dup');\n  }\n  static Case drop(Id owner, String contact) {\n    return TestDataFactory.insertOne(contact);"
    );
    const problems = check();
    expect(problems).toEqual([
      expect.stringContaining('ATest (record(…): "dup") and BTest (drop(…): "dup")')
    ]);
  });

  it('treats a literal prefix as a family: "tc-" + i collides with a literal starting tc-', () => {
    testClass(
      'ATest',
      "    for (Integer i = 0; i < 3; i++) { insert new Case(Connect_Contact_Id__c = 'tc-' + i); }"
    );
    testClass('BTest', "    insert new Case(Connect_Contact_Id__c = 'tc-2');");
    expect(check()).toEqual([expect.stringContaining('"tc-*"')]);
  });

  it('ignores a class that writes nothing (a pure parser test)', () => {
    testClass('ATest', "    insert new Case(Connect_Contact_Id__c = 'same');");
    project.write(
      `${CLASSES}/Parser.cls`,
      'public with sharing class Parser { public static Object parse(String s) { return s; } }'
    );
    testClass(
      'ParserTest',
      "    Map<String, Object> r = new Map<String, Object>{ 'contactId' => 'same' };\n    Parser.parse('x');"
    );
    expect(check()).toEqual([]);
  });
});

describe('check-apex-test-values on the real project', () => {
  beforeEach(() => {
    project = tempProject([`${DEFAULT}/classes`, `${DEFAULT}/objects`, CONTRACT]);
  });

  it('passes as shipped', () => {
    const run = runCheck('check-apex-test-values.ts', [path.join(project.dir, 'force-app')]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 60_000);

  it('fails when the intake test reuses the contract example ContactId the REST test inserts', () => {
    const file = `${CLASSES}/DisconnectIntakeServiceTest.cls`;
    project.write(
      file,
      project
        .read(file)
        .replace(/CONTACT_ID = '[^']*'/, "CONTACT_ID = '7d1f0c3a-5b2e-4c8d-9a61-0e2b4f6a8c10'")
    );
    const run = runCheck('check-apex-test-values.ts', [path.join(project.dir, 'force-app')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'ConnectDisconnectResourceTest (contract example "create": "7d1f0c3a-5b2e-4c8d-9a61-0e2b4f6a8c10") and ' +
        'DisconnectIntakeServiceTest'
    );
  }, 60_000);

  it('fails when TestDataFactory generates the same ContactIds in every test class again', () => {
    const file = `${CLASSES}/TestDataFactory.cls`;
    project.write(
      file,
      project
        .read(file)
        .replace(/return 'tc-' \+ RUN_TAG \+ '-' \+ index;/, "return 'test-contact-' + index;")
    );
    const problems = check();
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain('TestDataFactory generated ids: "test-contact-*"');
  });
});
