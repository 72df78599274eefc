// A throw-away Salesforce DX project for the offline-check tests: a copy of the real project's files the test
// names (so a check sees the same metadata it sees in `npm test`), plus the broken files the test writes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export interface TempProject {
  dir: string;
  write(relative: string, content: string): string;
  copy(relative: string): void;
  read(relative: string): string;
  remove(): void;
}

/** A project with sfdx-project.json and .forceignore (from the repository), nothing else unless copied. */
export function tempProject(copies: string[] = []): TempProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-check-'));
  const project: TempProject = {
    dir,
    write(relative, content) {
      const file = path.join(dir, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      return file;
    },
    copy(relative) {
      const from = path.join(ROOT, relative);
      const to = path.join(dir, relative);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.cpSync(from, to, { recursive: true });
    },
    read(relative) {
      return fs.readFileSync(path.join(dir, relative), 'utf8');
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  for (const file of ['sfdx-project.json', '.forceignore', ...copies]) project.copy(file);
  return project;
}
