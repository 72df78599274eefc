// scripts/check-deploy-sources.ts: nothing is deployed from outside the project (issue 9, defect 2: the setup
// script deployed the External Client App from a mktemp folder and broke the CLI's source tracking).
import { deployCommands, problemsOf } from '../../../scripts/check-deploy-sources';
import { runCheck } from './support/runCheck';
import { tempProject, type TempProject } from './support/sfProject';

const check = (shell: string) => problemsOf(deployCommands(shell, 'x.sh'));

describe('check-deploy-sources', () => {
  it('passes deploys from inside the project', () => {
    expect(
      check(
        [
          'ROOT="$(cd "$(dirname "$0")/.." && pwd)"',
          'STAGE="$ROOT/.sf-stage/$ALIAS-$$"',
          'sf project deploy start --source-dir "$STAGE/eca" --target-org "$ALIAS"',
          'sf project deploy start --source-dir force-app --target-org x',
          'npx sf project deploy start --metadata-dir=.sf-stage/mdapi',
          'sf project deploy start --target-org x'
        ].join('\n')
      )
    ).toEqual([]);
  });

  it('fails the old setup script: the External Client App staged in mktemp, through a variable', () => {
    const problems = check(
      [
        'STAGE="$(mktemp -d)"',
        'if "$SF" project deploy start --source-dir "$STAGE/eca" \\',
        '    --target-org "$ALIAS" --wait 20; then :; fi'
      ].join('\n')
    );
    expect(problems).toEqual([
      'x.sh:2: deploys "$STAGE/eca" from outside the project (a mktemp folder); stage it under the project, ' +
        'e.g. the gitignored .sf-stage/'
    ]);
  });

  it('fails absolute, home, temp, parent and unresolvable paths', () => {
    const problems = check(
      [
        'sf project deploy start --source-dir /tmp/eca',
        'sf project deploy start -d ~/eca',
        'sf project deploy start --manifest $TMPDIR/package.xml',
        'sf project deploy start --source-dir ../other/force-app',
        'sf project deploy start --source-dir "$SOMEWHERE"'
      ].join('\n')
    );
    expect(problems.map((p) => p.replace(/\).*/, ')'))).toEqual([
      'x.sh:1: deploys /tmp/eca from outside the project (an absolute path)',
      'x.sh:2: deploys ~/eca from outside the project (a home or temp folder)',
      'x.sh:3: deploys $TMPDIR/package.xml from outside the project (a home or temp folder)',
      'x.sh:4: deploys ../other/force-app from outside the project (it climbs out with "..")',
      'x.sh:5: deploys "$SOMEWHERE" from outside the project (it cannot be resolved ($SOMEWHERE)'
    ]);
  });

  describe('on a copy of the project', () => {
    let project: TempProject;
    beforeEach(() => {
      project = tempProject(['scripts', 'README.md', 'package.json']);
    });
    afterEach(() => project.remove());

    it('passes as shipped', () => {
      const run = runCheck('check-deploy-sources.ts', [project.dir]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }, 60_000);

    it('fails when the README tells the user to stage the app in mktemp again', () => {
      project.write(
        'README.md',
        project.read('README.md') +
          '\n```bash\nSTAGE="$(mktemp -d)/eca"\nnpx sf project deploy start --source-dir "$STAGE" --target-org prod\n```\n'
      );
      const run = runCheck('check-deploy-sources.ts', [project.dir]);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(
        /README\.md:\d+: deploys "\$STAGE" from outside the project \(a mktemp folder\)/
      );
    }, 60_000);

    it('fails a script in scripts/ that stages the app the way the setup script used to', () => {
      project.write(
        'scripts/stage-and-deploy.sh',
        [
          '#!/usr/bin/env bash',
          'STAGE="$(mktemp -d)"',
          'trap \'rm -rf "$STAGE"\' EXIT',
          '"$ROOT/scripts/stage-eca.sh" "$CERT" "$STAGE/eca" >/dev/null',
          'if "$SF" project deploy start --source-dir "$STAGE/eca" --target-org "$ALIAS" --wait 20; then',
          '  "$SF" project deploy start --source-dir "$STAGE/policies" --target-org "$ALIAS" --wait 20',
          'fi'
        ].join('\n')
      );
      const run = runCheck('check-deploy-sources.ts', [project.dir]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(
        'scripts/stage-and-deploy.sh:5: deploys "$STAGE/eca" from outside the project'
      );
      expect(run.stderr).toContain(
        'scripts/stage-and-deploy.sh:6: deploys "$STAGE/policies" from outside the project'
      );
    }, 60_000);
  });
});
