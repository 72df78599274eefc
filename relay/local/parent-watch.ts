/**
 * Stops `npm start` when whoever started it is gone. `npm start` runs `sh -c "node … start"`: after `kill -9` of
 * npm, the shell is re-parented and lives on, waiting for us, so our own parent never changes. Watching the
 * parent's parent as well (from /proc, on Linux) catches that; elsewhere only the direct parent is watched.
 */
import { readFileSync } from 'node:fs';

/** The parent pid of `pid` from /proc/PID/stat ("pid (comm) state ppid …"); undefined where /proc is absent. */
export function parentPidOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Calls `onOrphaned` once our parent, or our parent's parent, has gone (its process was re-parented). Returns the
 * function that stops watching. A process started directly by init (pid 1) is never considered orphaned.
 */
export function watchParent(onOrphaned: () => void, intervalMs = 500): () => void {
  const parent = process.ppid;
  const grandparent = parent > 1 ? parentPidOf(parent) : undefined;
  const timer = setInterval(() => {
    const parentGone = process.ppid !== parent;
    const grandparentGone =
      grandparent !== undefined && grandparent > 1 && parentPidOf(parent) !== grandparent;
    if (parentGone || grandparentGone) {
      clearInterval(timer);
      onOrphaned();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
