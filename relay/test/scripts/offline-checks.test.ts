// Every offline Salesforce check in scripts/ is fed the broken case it exists for (issue 16, item 6) and must
// fail with a message naming it; each also passes the real project (so the test proves the check, not a typo).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  apexClass,
  codesOutsideContract,
  contractNames,
  missingNames,
  missingTests,
  type Json
} from '../../../scripts/check-apex-contract';
import { checkFile, loadSchema } from '../../../scripts/check-soql-fields';
import { unexplainedSuppressions } from '../../../scripts/check-pmd';
import { spawnSync } from 'node:child_process';
import { runCheck } from './support/runCheck';
import { ROOT, tempProject, type TempProject } from './support/sfProject';

const CLASSES = 'force-app/main/default/classes';
const CONTRACT = 'force-app/main/default/staticresources/ConnectDisconnectContract.json';

let project: TempProject;
afterEach(() => project?.remove());

describe('check-apex-contract: every class has a real test class', () => {
  const cls = (name: string, source: string) => apexClass(name, `${name}.cls`, source);
  const service = cls('Service', 'public with sharing class Service { public void run() {} }');
  const factory = cls(
    'TestDataFactory',
    '@IsTest\npublic class TestDataFactory { public static Service make() { return new Service(); } }'
  );

  it('does not count a test utility without test methods (TestDataFactory) as the test of a class', () => {
    expect(factory.isTest).toBe(true);
    expect(factory.hasTestMethods).toBe(false);
    expect(missingTests([service, factory])).toEqual([
      expect.stringContaining('Service.cls: no test class (expected ServiceTest')
    ]);
  });

  it('does not count a <Class>Test class that has no test methods', () => {
    const empty = cls('ServiceTest', '@IsTest\nprivate class ServiceTest { static void helper() {} }');
    expect(missingTests([service, empty])).toHaveLength(1);
  });

  it('accepts a test class with @IsTest methods (any modifiers) or testMethod', () => {
    const annotated = cls(
      'ServiceTest',
      '@IsTest\nprivate class ServiceTest {\n  @IsTest(SeeAllData=false)\n  static void runs() { new Service().run(); }\n}'
    );
    const legacy = cls(
      'OtherTest',
      '@IsTest class OtherTest { static testMethod void t() { new Service(); } }'
    );
    expect(annotated.hasTestMethods).toBe(true);
    expect(legacy.hasTestMethods).toBe(true);
    expect(missingTests([service, annotated])).toEqual([]);
    expect(missingTests([service, legacy, factory])).toEqual([]);
  });

  it('fails the real classes once a test class is gone and only TestDataFactory mentions its class', () => {
    project = tempProject([CLASSES, CONTRACT]);
    fs.rmSync(path.join(project.dir, CLASSES, 'CustomerMatcherTest.cls'));
    const run = runCheck('check-apex-contract.ts', [
      path.join(project.dir, CLASSES),
      path.join(project.dir, CONTRACT)
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('CustomerMatcher.cls: no test class');
  }, 120_000);
});

describe('check-apex-contract: the intake sends the contract codes', () => {
  const contract: Json = {
    notes: ['Request error codes (HTTP 400): BATCH_TOO_LARGE, EMPTY_BATCH.'],
    examples: [
      {
        name: 'too-large',
        request: { records: [{ contactId: 'a' }] },
        response: { error: { code: 'BATCH_TOO_LARGE', message: 'x' } }
      },
      {
        name: 'ok',
        request: { records: [{ contactId: 'b' }] },
        response: { results: [{ outcome: 'created' }] }
      }
    ]
  };
  const good = `public static final String BATCH_TOO_LARGE = 'BATCH_TOO_LARGE';
    public static final String EMPTY_BATCH = 'EMPTY_BATCH';
    public String contactId; public List<Object> records; public String outcome = 'created';
    public Object error; public String code; public String message; public List<Object> results;`;

  it('passes when every name is handled', () => {
    expect(missingNames(contractNames(contract), good)).toEqual([]);
    expect(codesOutsideContract(JSON.stringify(contract), good)).toEqual([]);
  });

  it('fails when the Apex sends a changed error code under the old constant name', () => {
    const changed = good.replace("BATCH_TOO_LARGE = 'BATCH_TOO_LARGE'", "BATCH_TOO_LARGE = 'BATCH_TOO_BIG'");
    expect(missingNames(contractNames(contract), changed)).toEqual([
      expect.stringContaining('contract code "BATCH_TOO_LARGE"')
    ]);
    expect(codesOutsideContract(JSON.stringify(contract), changed)).toEqual([
      "error code BATCH_TOO_LARGE = 'BATCH_TOO_BIG' in the intake classes is not in the contract"
    ]);
  });

  it('fails when an outcome is missing', () => {
    expect(missingNames(contractNames(contract), good.replace("'created'", "'made'"))).toEqual([
      expect.stringContaining('contract outcome "created"')
    ]);
  });

  it('fails the real project when an error code changes in the contract file', () => {
    project = tempProject([CLASSES, CONTRACT]);
    const file = path.join(project.dir, CONTRACT);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('EMPTY_BATCH', 'NO_RECORDS'));
    const run = runCheck('check-apex-contract.ts', [path.join(project.dir, CLASSES), file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('contract code "NO_RECORDS"');
    expect(run.stderr).toContain(
      "error code EMPTY_BATCH = 'EMPTY_BATCH' in the intake classes is not in the contract"
    );
  }, 120_000);

  it('passes the real project', () => {
    const run = runCheck('check-apex-contract.ts', []);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 120_000);
});

describe('check-soql-fields', () => {
  it('reports a custom field in static and dynamic SOQL that has no metadata', () => {
    const schema = loadSchema(path.join(ROOT, 'force-app'));
    const source = `public with sharing class Q {
      public void run() {
        List<Case> a = [SELECT Id, Connect_Contact_Id__c, No_Such_Field__c FROM Case WITH USER_MODE];
        List<SObject> b = Database.query('SELECT Id, Also_Missing__c FROM Case');
      }
    }`;
    const problems = checkFile(schema, 'Q.cls', source).map((p) => `${p.line} ${p.message}`);
    expect(problems).toEqual([
      expect.stringMatching(/^3 SOQL field .*No_Such_Field__c/),
      expect.stringMatching(/^4 SOQL field .*Also_Missing__c/)
    ]);
  });

  it('exits 1 on a project whose class queries a missing field, 0 on the real project', () => {
    project = tempProject(['force-app/main/default/objects']);
    project.write(
      `${CLASSES}/Bad.cls`,
      'public with sharing class Bad { public Integer n() { return [SELECT COUNT() FROM Case WHERE Ghost__c = null]; } }'
    );
    const bad = runCheck('check-soql-fields.ts', [path.join(project.dir, 'force-app')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Ghost__c');
    expect(runCheck('check-soql-fields.ts', []).status).toBe(0);
  }, 120_000);
});

describe('check-convert', () => {
  const packageXml = (classes: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://soap.sforce.com/2006/04/metadata">
    <types>${classes.map((c) => `<members>${c}</members>`).join('')}<name>ApexClass</name></types>
    <types><members>Agent</members><name>PermissionSet</name></types>
    <version>64.0</version>
</Package>`;
  const permset = (field: string) => `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <classAccesses><apexClass>Service</apexClass><enabled>true</enabled></classAccesses>
    <fieldPermissions><editable>false</editable><field>${field}</field><readable>true</readable></fieldPermissions>
    <label>Agent</label>
</PermissionSet>`;

  function sourceAndOutput(): { source: string; converted: string } {
    project = tempProject();
    project.write('force-app/main/default/classes/Service.cls', 'public with sharing class Service {}');
    project.write('force-app/main/default/classes/Service.cls-meta.xml', '<ApexClass/>');
    project.write('force-app/main/default/objects/Case/fields/Real__c.field-meta.xml', '<CustomField/>');
    project.write('mdapi/classes/Service.cls', 'public with sharing class Service {}');
    return { source: path.join(project.dir, 'force-app'), converted: path.join(project.dir, 'mdapi') };
  }

  it('passes a faithful conversion', () => {
    const { source, converted } = sourceAndOutput();
    project.write(
      'force-app/main/default/permissionsets/Agent.permissionset-meta.xml',
      permset('Case.Real__c')
    );
    project.write('mdapi/package.xml', packageXml(['Service']));
    const run = runCheck('check-convert.ts', [converted, source]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 120_000);

  it('fails when a class has no -meta.xml and was dropped, and when a permission set names a missing field', () => {
    const { source, converted } = sourceAndOutput();
    project.write('force-app/main/default/classes/Lost.cls', 'public with sharing class Lost {}');
    project.write(
      'force-app/main/default/permissionsets/Agent.permissionset-meta.xml',
      permset('Case.Gone__c')
    );
    project.write('mdapi/package.xml', packageXml(['Service']));
    const run = runCheck('check-convert.ts', [converted, source]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Lost.cls-meta.xml');
    expect(run.stderr).toContain('Lost: not in the converted package.xml (ApexClass)');
    expect(run.stderr).toContain('field Case.Gone__c does not exist');
  }, 120_000);
});

describe('check-pmd', () => {
  it('requires a reason next to every @SuppressWarnings', () => {
    const text = [
      '// Callers pass only trusted names: reviewed.',
      "@SuppressWarnings('PMD.ApexSOQLInjection')",
      'public class A {',
      "  @SuppressWarnings('PMD.AvoidGlobalModifier')",
      '  global void b() {}',
      '}'
    ].join('\n');
    expect(unexplainedSuppressions('A.cls', text)).toEqual([expect.stringContaining('A.cls:4')]);
  });

  it('exits 1 on a class that violates a Security rule (real PMD run)', () => {
    project = tempProject();
    project.write(
      `${CLASSES}/Leaky.cls`,
      'public without sharing class Leaky {\n  public List<Case> all() {\n    return [SELECT Id FROM Case];\n  }\n}\n'
    );
    const run = runCheck('check-pmd.ts', [path.join(project.dir, 'force-app')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Leaky\.cls:\d+ ApexCRUDViolation/);
  }, 240_000);
});

describe('check-apex-semantics.sh (apex-ls)', () => {
  const META =
    '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">' +
    '<apiVersion>64.0</apiVersion><status>Active</status></ApexClass>\n';

  it('fails a class that calls an unknown type, passes it once the type exists', () => {
    project = tempProject();
    project.write(
      `${CLASSES}/Caller.cls`,
      'public with sharing class Caller {\n  public void run() { Helper.help(); }\n}\n'
    );
    project.write(`${CLASSES}/Caller.cls-meta.xml`, META);
    const run = () =>
      spawnSync('bash', [path.join(ROOT, 'scripts', 'check-apex-semantics.sh'), project.dir], {
        encoding: 'utf8'
      });
    const broken = run();
    expect(broken.status).not.toBe(0);
    expect(broken.stdout + broken.stderr).toContain("No variable or type found for 'Helper'");

    project.write(
      `${CLASSES}/Helper.cls`,
      'public with sharing class Helper {\n  public static void help() {}\n}\n'
    );
    project.write(`${CLASSES}/Helper.cls-meta.xml`, META);
    const fixed = run();
    expect(fixed.stdout).toContain('apex-ls: no issues');
    expect(fixed.status).toBe(0);
  }, 120_000);
});
