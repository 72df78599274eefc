// Screen-reader announcements for the worklist, throttled and summarised: after an outage dozens of drops
// can arrive within seconds, and a polite live region that changes 15 times in 6 s is noise nobody can follow.
// The first message is spoken at once; whatever arrives in the next THROTTLE window is folded into one summary.

/** At most one announcement per this many milliseconds. */
export const ANNOUNCE_THROTTLE_MS = 4000;

export interface Announcement {
  /** Grouping key: messages of the same kind can be summarised together ("3 new callers"). */
  kind: 'new' | 'left' | 'info';
  /** The whole sentence when it is spoken on its own. */
  text: string;
  /** Who it is about, spoken in a summary ("Jane Doe", "number ending 0186"). */
  who?: string;
}

/** How several of a kind are counted in a summary (one of a kind is spoken as its own sentence). */
const PLURAL: Record<Announcement['kind'], string> = {
  new: 'new callers',
  left: 'callers left the list',
  info: 'updates'
};

/** "number ending 0186" from "+*******0186"; null when there are no digits to speak. */
export function spokenNumber(maskedPhone: string | null | undefined): string | null {
  const digits = (maskedPhone ?? '').replace(/\D/g, '');
  return digits ? `number ending ${digits.slice(-4)}` : null;
}

/** How a caller is named aloud: their name, else the last digits of the number. */
export function spokenCaller(
  name: string | null | undefined,
  maskedPhone: string | null | undefined
): string {
  return name || spokenNumber(maskedPhone) || 'an unknown caller';
}

function joinNames(names: string[]): string {
  const shown = names.slice(0, 3);
  const more = names.length - shown.length;
  if (more > 0) {
    return `${shown.join(', ')} and ${more} more`;
  }
  if (shown.length <= 1) {
    // Stryker disable next-line StringLiteral: one name joins to itself, whatever the separator.
    return shown.join('');
  }
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** One sentence for several announcements: "3 new callers: Jane Doe, number ending 0186 and Sam Lee." */
export function summarise(items: Announcement[]): string {
  if (items.length === 1 && items[0]) {
    return items[0].text;
  }
  const parts: string[] = [];
  for (const kind of ['new', 'left', 'info'] as const) {
    const ofKind = items.filter((item) => item.kind === kind);
    if (!ofKind.length) {
      continue;
    }
    if (ofKind.length === 1 && ofKind[0]) {
      parts.push(ofKind[0].text.replace(/\.$/, ''));
      continue;
    }
    const names = ofKind.map((item) => item.who).filter((who): who is string => Boolean(who));
    const label = `${ofKind.length} ${PLURAL[kind]}`;
    parts.push(names.length ? `${label}: ${joinNames(names)}` : label);
  }
  return `${parts.join('. ')}.`;
}

/** Throttles announcements into a sink (the component sets its live-region text). */
export class Announcer {
  private queue: Announcement[] = [];
  /** Runs exactly while the quiet period after speaking lasts: flush() always starts one. */
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly sink: (text: string) => void,
    private readonly throttleMs: number = ANNOUNCE_THROTTLE_MS
  ) {}

  say(item: Announcement): void {
    this.queue.push(item);
    // No quiet period running: speak now. Otherwise its end speaks whatever has gathered.
    if (this.timer === undefined) {
      this.flush();
    }
  }

  /** Stops pending announcements (component removed): they are dropped, not spoken later. */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }

  private flush(): void {
    this.timer = undefined;
    if (!this.queue.length) {
      return;
    }
    const items = this.queue;
    this.queue = [];
    this.sink(summarise(items));
    // Anything arriving during the quiet period that follows is gathered and spoken when it ends.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.timer = setTimeout(() => this.flush(), this.throttleMs);
  }
}
