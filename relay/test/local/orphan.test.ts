/**
 * `kill -9` of `npm start` must not leave the local stack running: the stack notices that whoever started it is
 * gone and stops. npm runs scripts through `sh -c`, so the stack's direct parent (the shell) outlives npm: both
 * shapes are tried.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

jest.setTimeout(150_000);

/** Running, and not a zombie waiting to be reaped (in a container, pid 1 may never reap it). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

const BIN = join(__dirname, '..', '..', 'bin', 'ctr-relay.js');

const RUNNING = ['--rate', '5'];
// Far from done when the launcher dies: stopping must not wait for the rest (or the 300 s timeout) to exit.
const EXIT_WHEN_DONE = ['--exit-when-done', '--calls', '100000', '--rate', '20'];

it.each([
  ['the launcher is its parent', false, RUNNING, 'Running.'],
  ['the launcher runs it through sh -c, as npm does', true, RUNNING, 'Running.'],
  ['--exit-when-done, far from done', false, EXIT_WHEN_DONE, 'Relay: Lambda-like consumer']
])(
  'the stack stops by itself when its launcher is killed with SIGKILL (%s)',
  async (_shape, viaShell, args, ready) => {
    // A stand-in for npm: starts the stack with its stderr in a file (so that no broken pipe can end it once the
    // launcher is gone), reports the stack's pid once it runs, then waits.
    const log = join(mkdtempSync(join(tmpdir(), 'orphan-')), 'stderr.log');
    const command = [process.execPath, BIN, 'start', '--no-preview', ...args];
    const launcher = `
    const { spawn } = require('node:child_process');
    const fs = require('node:fs');
    const fd = fs.openSync(${JSON.stringify(log)}, 'w');
    const viaShell = ${viaShell};
    const cmd = ${JSON.stringify(command)};
    // "; exit" keeps the shell alive as the stack's parent (a lone command may be exec'd by the shell).
    const child = viaShell
      ? spawn('sh', ['-c', cmd.map((a) => "'" + a + "'").join(' ') + '; exit $?'], { stdio: ['ignore', 'ignore', fd] })
      : spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', fd] });
    const stackPid = () => viaShell
      ? Number(fs.readFileSync('/proc/' + child.pid + '/task/' + child.pid + '/children', 'utf8').trim().split(' ')[0])
      : child.pid;
    const t = setInterval(() => {
      if (fs.readFileSync(${JSON.stringify(log)}, 'utf8').includes(${JSON.stringify(ready)})) { console.log(stackPid()); clearInterval(t); }
    }, 100);
    setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', launcher], { stdio: ['ignore', 'pipe', 'inherit'] });
    const stackPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.on('data', (c: Buffer) => resolve(Number(String(c).trim())));
      parent.once('exit', () => reject(new Error('launcher exited early')));
    });
    expect(stackPid).toBeGreaterThan(1);
    expect(alive(stackPid)).toBe(true);

    parent.kill('SIGKILL');
    const end = Date.now() + 20_000;
    while (alive(stackPid) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    const stillAlive = alive(stackPid);
    if (stillAlive) process.kill(stackPid, 'SIGKILL');
    expect(stillAlive).toBe(false);
    expect(readFileSync(log, 'utf8')).toMatch(/the process that started this one is gone; stopping/);
    rmSync(dirname(log), { recursive: true, force: true });
  }
);
