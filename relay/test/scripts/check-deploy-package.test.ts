// scripts/check-deploy-package.ts builds the deploy zip with the CLI's own source-deploy-retrieve, as
// `sf project deploy start` does, and must catch a package.xml member without files (issue 9, defect 1).
import { checkDeployPackage } from '../../../scripts/check-deploy-package';
import { ROOT, tempProject, type TempProject } from './support/sfProject';

const LWC = 'force-app/main/default/lwc';
const META = `<?xml version="1.0" encoding="UTF-8"?>
<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>64.0</apiVersion>
    <isExposed>false</isExposed>
</LightningComponentBundle>
`;

let project: TempProject;
beforeEach(() => {
  project = tempProject();
  project.write(`${LWC}/hello/hello.js`, 'export default class Hello {}\n');
  project.write(`${LWC}/hello/hello.js-meta.xml`, META);
});
afterEach(() => project.remove());

describe('check-deploy-package', () => {
  it('passes a project whose components all have files', async () => {
    const { problems, summary } = await checkDeployPackage(project.dir);
    expect(problems).toEqual([]);
    expect(summary).toContain('LightningComponentBundle 1');
  }, 60_000);

  it('fails when a folder under lwc/ holds only forceignored .d.ts files (the old lwc/types)', async () => {
    project.write(`${LWC}/types/apex.d.ts`, 'declare module "x" {}\n');
    const { problems, summary } = await checkDeployPackage(project.dir);
    // The CLI's own library names the empty bundle in package.xml: exactly what the Metadata API rejected.
    expect(summary).toContain('LightningComponentBundle 2');
    expect(problems).toEqual([
      expect.stringContaining('LightningComponentBundle "types" is named in package.xml but has no files')
    ]);
  }, 60_000);

  it('passes the real project', async () => {
    const { problems } = await checkDeployPackage(ROOT);
    expect(problems).toEqual([]);
  }, 60_000);
});
