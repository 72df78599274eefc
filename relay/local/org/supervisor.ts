/**
 * The supervisor's figures over the emulator's callback Cases — the same questions the Salesforce reports and the
 * "Dropped-call recovery" dashboard answer (force-app/main/default/reports/Dropped_Call_Recovery), so `npm start`
 * shows them without an org: drops and open callbacks by category, reach rate, the oldest caller still waiting,
 * due-by breaches, automatic closes ("customer got through") and repeat droppers.
 */

/** What the summary reads of one callback Case (the emulator maps its Cases to this). */
export interface CallbackCaseView {
  /** Drop_Category__c */
  category: string;
  /** Caller_Key__c: one caller, however many drops. */
  callerKey: string;
  /** When the contact dropped (Connect_Disconnected_At__c, else initiated/created). */
  droppedAt: string;
  /** Case still open (not IsClosed). */
  open: boolean;
  /** Callback_Outcome__c: the disposition that closed it (REACHED, UNREACHABLE, CUSTOMER_GOT_THROUGH…). */
  outcome: string | null;
  /** Due_By__c */
  dueBy: string | null;
  /** First_Attempt_At__c */
  firstAttemptAt: string | null;
  /** Callback_Closed_At__c */
  closedAt: string | null;
}

export interface CategoryFigures {
  drops: number;
  open: number;
}

export interface SupervisorSummary {
  asOf: string;
  drops: number;
  open: number;
  byCategory: Record<string, CategoryFigures>;
  /** Closed by an agent's outcome after calling: reached or not. */
  reached: number;
  notReached: number;
  /** reached / (reached + notReached), 0–1; null before any agent outcome. */
  reachRate: number | null;
  /** Closed because the customer got through on their own (the relay's resolve). */
  autoClosed: number;
  /** The open callback whose caller has waited longest. */
  oldestWaiting: { droppedAt: string; waitingSeconds: number; category: string } | null;
  /** Open callbacks past their due-by time with nobody having called yet. */
  overdueNow: number;
  /** Callbacks whose first attempt came after the due-by time (or never came before it closed). */
  dueByBreaches: number;
  /** Callers with more than one drop. */
  repeatCallers: number;
}

/** Outcomes that close a callback without an agent reaching or failing to reach the customer. */
const NOT_AN_ATTEMPT = new Set(['CUSTOMER_GOT_THROUGH', 'NOT_NEEDED']);
/** Outcomes that count as reached (Callback_Disposition__mdt.Counts_As_Reached__c). */
const REACHED = new Set(['REACHED']);

const ms = (iso: string | null): number | null => {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

/** A callback breached its due-by when nobody called before it: first attempt late, or none by close/now. */
export function breachedDueBy(c: CallbackCaseView, nowMs: number): boolean {
  const due = ms(c.dueBy);
  if (due === null) return false;
  const first = ms(c.firstAttemptAt);
  if (first !== null) return first > due;
  if (c.open) return nowMs > due;
  // Closed without an attempt: a breach only if it closed after the due-by time (e.g. got through too late).
  const closed = ms(c.closedAt);
  return closed !== null && closed > due;
}

export function supervisorSummary(cases: readonly CallbackCaseView[], now: Date): SupervisorSummary {
  const nowMs = now.getTime();
  const byCategory: Record<string, CategoryFigures> = {};
  const dropsPerCaller = new Map<string, number>();
  let open = 0;
  let reached = 0;
  let notReached = 0;
  let autoClosed = 0;
  let overdueNow = 0;
  let dueByBreaches = 0;
  let oldest: CallbackCaseView | undefined;
  for (const c of cases) {
    const figures = (byCategory[c.category] ??= { drops: 0, open: 0 });
    figures.drops += 1;
    dropsPerCaller.set(c.callerKey, (dropsPerCaller.get(c.callerKey) ?? 0) + 1);
    if (breachedDueBy(c, nowMs)) dueByBreaches += 1;
    if (c.open) {
      open += 1;
      figures.open += 1;
      const due = ms(c.dueBy);
      if (due !== null && due < nowMs && c.firstAttemptAt === null) overdueNow += 1;
      if (!oldest || (ms(c.droppedAt) ?? nowMs) < (ms(oldest.droppedAt) ?? nowMs)) oldest = c;
      continue;
    }
    if (c.outcome === 'CUSTOMER_GOT_THROUGH') autoClosed += 1;
    if (c.outcome === null || NOT_AN_ATTEMPT.has(c.outcome)) continue;
    if (REACHED.has(c.outcome)) reached += 1;
    else notReached += 1;
  }
  const oldestMs = oldest ? ms(oldest.droppedAt) : null;
  return {
    asOf: now.toISOString(),
    drops: cases.length,
    open,
    byCategory,
    reached,
    notReached,
    reachRate: reached + notReached > 0 ? reached / (reached + notReached) : null,
    autoClosed,
    oldestWaiting:
      oldest && oldestMs !== null
        ? {
            droppedAt: oldest.droppedAt,
            waitingSeconds: Math.max(0, Math.round((nowMs - oldestMs) / 1000)),
            category: oldest.category
          }
        : null,
    overdueNow,
    dueByBreaches,
    repeatCallers: [...dropsPerCaller.values()].filter((n) => n > 1).length
  };
}

/** "1 h 05 min", "4 min", "35 s". */
export function waitingText(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor(seconds / 60) % 60).padStart(2, '0')} min`;
}

/** The supervisor part of `npm start`'s status line. */
export function supervisorLine(s: SupervisorSummary): string {
  const reach = s.reachRate === null ? '–' : `${Math.round(s.reachRate * 100)}%`;
  const oldest = s.oldestWaiting ? waitingText(s.oldestWaiting.waitingSeconds) : '–';
  return `open callbacks ${s.open} · reach ${reach} · oldest waiting ${oldest} · overdue ${s.overdueNow}`;
}

/** What the mapping reads of an emulated Case (relay/local/org types; lifecycle fields optional). */
export interface EmulatedCaseLike {
  isClosed: boolean;
  callerKey: string;
  createdAt: string;
  dueBy?: string | null;
  firstAttemptAt?: string | null;
  closedAt?: string | null;
  callbackOutcome?: string | null;
  record: { category: string | null; disconnectedAt: string | null; initiatedAt: string | null };
}

/** An emulated Case as the supervisor figures read it (the fields the Salesforce reports group on). */
export function caseView(c: EmulatedCaseLike): CallbackCaseView {
  return {
    category: c.record.category ?? 'UNKNOWN',
    callerKey: c.callerKey,
    droppedAt: c.record.disconnectedAt ?? c.record.initiatedAt ?? c.createdAt,
    open: !c.isClosed,
    outcome: c.callbackOutcome ?? null,
    dueBy: c.dueBy ?? null,
    firstAttemptAt: c.firstAttemptAt ?? null,
    closedAt: c.closedAt ?? null
  };
}

/** The figures over an emulator's Cases, as GET /__emulator/supervisor and the status line show them. */
export function summaryOfCases(cases: Iterable<EmulatedCaseLike>, now: Date): SupervisorSummary {
  return supervisorSummary([...cases].map(caseView), now);
}
