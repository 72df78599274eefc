// Telling problems apart, so the worklist says the right thing: a missing permission needs an admin, an outage
// needs patience (and a Retry), a refused request needs the agent to look again. Apex errors of the lifecycle API
// carry JSON {"code","message"} in their message; older ones and platform errors carry plain text and a status.
import { errorMessage } from './worklistModel';

export type ProblemKind = 'permission' | 'outage' | 'refused';

export interface WorklistProblem {
  kind: ProblemKind;
  /** Lifecycle API error code when the server sent one (CLAIMED_BY_OTHER, NO_ACCESS, RETRYABLE, …). */
  code: string | null;
  /** The server's message, for people. */
  message: string;
}

const PERMISSION_TEXT =
  /do not have access|don't have access|insufficient (access|privileges)|not have permission|permission|no access/i;
const OUTAGE_TEXT =
  /failed to fetch|network|timed? ?out|temporarily|unavailable|try again later|disconnected|unable to lock|offline/i;

/** Reads {"code","message"} out of a lifecycle API error message; null when it is plain text. */
export function structuredError(message: string): { code: string; message: string } | null {
  if (!message.startsWith('{')) {
    return null;
  }
  try {
    // Text that starts with '{' parses to an object or not at all.
    const parsed = JSON.parse(message) as object;
    const code: unknown = Reflect.get(parsed, 'code');
    const text: unknown = Reflect.get(parsed, 'message');
    if (typeof code === 'string') {
      return { code, message: typeof text === 'string' ? text : code };
    }
  } catch {
    // Not JSON after all: plain text.
  }
  return null;
}

function statusOf(error: unknown): number | null {
  if (error && typeof error === 'object') {
    const status: unknown = Reflect.get(error, 'status');
    if (typeof status === 'number') {
      return status;
    }
  }
  return null;
}

export function classifyError(error: unknown): WorklistProblem {
  const raw = errorMessage(error);
  const structured = structuredError(raw);
  const code = structured ? structured.code : null;
  const message = structured ? structured.message : raw;
  const status = statusOf(error);
  if (code === 'NO_ACCESS' || status === 401 || status === 403 || (!code && PERMISSION_TEXT.test(message))) {
    return { kind: 'permission', code, message };
  }
  if (
    code === 'RETRYABLE' ||
    status === 0 ||
    status === 429 ||
    (status !== null && status >= 500) ||
    (!code && OUTAGE_TEXT.test(message)) ||
    (!code && status === null && error instanceof TypeError)
  ) {
    return { kind: 'outage', code, message };
  }
  return { kind: 'refused', code, message };
}

/** The sentence the worklist shows for a problem while loading ("what" = "load" or "refresh"). */
export function problemText(problem: WorklistProblem, what: 'load' | 'refresh'): string {
  const clause = problem.message.replace(/[.\s]+$/, '');
  if (problem.kind === 'permission') {
    return (
      `Couldn't ${what} callbacks: you don't have access (${clause}). ` +
      'Ask your Salesforce admin for the Callback_Agent permission set.'
    );
  }
  if (problem.kind === 'outage') {
    return `Couldn't ${what} callbacks: Salesforce didn't answer (${clause}). This is usually brief.`;
  }
  return `Couldn't ${what} callbacks: ${clause}.`;
}
