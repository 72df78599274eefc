/**
 * The lifecycle Apex's request and error conventions: requestJson parameters (a JSON object string, or null for
 * "no options") and AuraHandledExceptions whose message is JSON {code, message}.
 */
import type { EmulatedCase } from './types';

/** An AuraHandledException: its message is what the LWC receives (error.body.message). */
export class AuraError extends Error {}

export type LifecycleCode =
  | 'CLAIMED_BY_OTHER'
  | 'NOT_ELIGIBLE'
  | 'NOTHING_OPEN'
  | 'NOT_CLAIMED'
  | 'INVALID_DISPOSITION'
  | 'INVALID_REQUEST'
  | 'NO_ACCESS'
  | 'RETRYABLE'
  | 'UNEXPECTED';

/** An AuraHandledException whose message is JSON {code, message}. */
export class LifecycleError extends AuraError {
  constructor(
    readonly code: LifecycleCode,
    readonly detail: string
  ) {
    super(JSON.stringify({ code, message: detail }));
  }
}

export const fail = (code: LifecycleCode, message: string): never => {
  throw new LifecycleError(code, message);
};

/** requestJson as the LWC sends it: a JSON object string, or null/blank for "no options". */
export function parseRequest(requestJson: unknown): Record<string, unknown> {
  if (requestJson === null || requestJson === undefined || requestJson === '') return {};
  if (typeof requestJson !== 'string') return fail('INVALID_REQUEST', 'requestJson must be a JSON string');
  let parsed: unknown;
  try {
    parsed = JSON.parse(requestJson);
  } catch {
    return fail('INVALID_REQUEST', 'requestJson is not valid JSON');
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return fail('INVALID_REQUEST', 'requestJson must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export function optionalString(req: Record<string, unknown>, key: string): string | null {
  const v = req[key];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') return fail('INVALID_REQUEST', `${key} must be a string`);
  return v.trim() === '' ? null : v.trim();
}

export function caseIds(cases: EmulatedCase[]): string[] {
  return cases.map((c) => c.id);
}
