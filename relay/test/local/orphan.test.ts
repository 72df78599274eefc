/**
 * `kill -9` of `npm start` must not leave the local stack running: the process it started notices that its parent
 * is gone and stops.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

jest.setTimeout(120_000);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('the stack stops by itself when its parent is killed with SIGKILL', async () => {
  const bin = join(__dirname, '..', '..', 'bin', 'ctr-relay.js');
  // A stand-in for npm: starts the stack with its stderr in a file (so that no broken pipe can end it once the
  // launcher is gone), reports the stack's pid once it runs, then waits.
  const log = join(mkdtempSync(join(tmpdir(), 'orphan-')), 'stderr.log');
  const launcher = `
    const { spawn } = require('node:child_process');
    const fs = require('node:fs');
    const fd = fs.openSync(${JSON.stringify(log)}, 'w');
    const child = spawn(process.execPath, [${JSON.stringify(bin)}, 'start', '--no-preview', '--rate', '5'],
      { stdio: ['ignore', 'ignore', fd] });
    const t = setInterval(() => {
      if (fs.readFileSync(${JSON.stringify(log)}, 'utf8').includes('Running.')) { console.log(child.pid); clearInterval(t); }
    }, 100);
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ['-e', launcher], { stdio: ['ignore', 'pipe', 'inherit'] });
  const childPid = await new Promise<number>((resolve, reject) => {
    parent.stdout.on('data', (c: Buffer) => resolve(Number(String(c).trim())));
    parent.once('exit', () => reject(new Error('launcher exited early')));
  });
  expect(alive(childPid)).toBe(true);

  parent.kill('SIGKILL');
  const end = Date.now() + 20_000;
  while (alive(childPid) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
  const stillAlive = alive(childPid);
  if (stillAlive) process.kill(childPid, 'SIGKILL');
  expect(stillAlive).toBe(false);
  expect(readFileSync(log, 'utf8')).toMatch(/the process that started this one is gone; stopping/);
  rmSync(dirname(log), { recursive: true, force: true });
});
