/**
 * Mutants of the WebAssembly scanner's source (relay/src/ctr-scan.wat), which Stryker cannot mutate: every
 * comparison, arithmetic and bitwise instruction swapped for its nearest wrong twin, every integer constant moved by
 * one. Comments are never mutated. Run by scripts/mutation/wat.ts (`npm run test:mutation -- wat`).
 *
 * An equivalent mutant (one that changes only speed or slack, never a result) is marked like Stryker's disable
 * comments, by a comment above the line it is on (the first line below the comment that holds code), naming it and
 * saying why:
 *   ;; equivalent mutant: i32.le_u → i32.lt_u (…why…)
 *   ;; equivalent mutants: i32.lt_s → i32.le_s, 0 → 1 (…why…)
 * Such a mutant is listed as equivalent and not run.
 */

export interface WatMutant {
  /** 1-based line and column of the mutated token in the .wat. */
  line: number;
  column: number;
  original: string;
  replacement: string;
  /** The whole .wat with this one token replaced. */
  source: string;
  /** Marked equivalent by a comment line right above (see above): not run. */
  equivalent: boolean;
}

/** Each instruction and the wrong twin it becomes: a boundary moved, a test inverted, an operation swapped. */
export const INSTRUCTION_SWAPS: Readonly<Record<string, string>> = Object.freeze({
  'i32.eq': 'i32.ne',
  'i32.ne': 'i32.eq',
  'i32.lt_u': 'i32.le_u',
  'i32.le_u': 'i32.lt_u',
  'i32.gt_u': 'i32.ge_u',
  'i32.ge_u': 'i32.gt_u',
  'i32.lt_s': 'i32.le_s',
  'i32.le_s': 'i32.lt_s',
  'i32.gt_s': 'i32.ge_s',
  'i32.ge_s': 'i32.gt_s',
  'i32.add': 'i32.sub',
  'i32.sub': 'i32.add',
  'i32.mul': 'i32.add',
  'i32.and': 'i32.or',
  'i32.or': 'i32.and',
  'i32.shl': 'i32.shr_u',
  // popcnt is non-zero exactly when its operand is: as a condition, the test is dropped
  'i32.eqz': 'i32.popcnt',
  'i64.ne': 'i64.eq',
  'i8x16.eq': 'i8x16.ne',
  'i8x16.lt_u': 'i8x16.le_u',
  'v128.or': 'v128.and'
});

/** An i32 constant's value, or an instruction name (after its opening parenthesis). */
const TOKEN =
  /\(i32\.const (-?\d+|0x[0-9a-f]+)\)|\((i32\.[a-z0-9_]+|i64\.[a-z0-9_]+|i8x16\.[a-z0-9_]+|v128\.[a-z0-9_]+)/g;

/** The source with every comment (";;" to the end of the line) blanked out, offsets kept. */
function withoutComments(source: string): string {
  return source.replace(/;;[^\n]*/g, (comment) => ' '.repeat(comment.length));
}

/** An "equivalent mutant(s): A → B, C → D (why)" comment line: the pairs it names. */
const EQUIVALENT = /^\s*;;\s*equivalent mutants?:\s*(.*)$/;
const PAIR = /([^\s,(]+) → ([^\s,(]+)/g;

/** A line with nothing but a comment (or nothing at all). */
const COMMENT_ONLY = /^\s*(;;.*)?$/;

/**
 * For each 1-based line, the mutants ("original → replacement") marked equivalent by the comment above it: an
 * annotation applies to the first line below it that holds code (its reason may go on over more comment lines).
 */
function equivalentsByLine(source: string): Map<number, Set<string>> {
  const lines = source.split('\n');
  const marked = new Map<number, Set<string>>();
  lines.forEach((text, index) => {
    const annotation = EQUIVALENT.exec(text);
    if (annotation === null) return;
    let code = index + 1;
    while (code < lines.length && COMMENT_ONLY.test(lines[code] as string)) code++;
    const pairs = [...(annotation[1] as string).matchAll(PAIR)].map((pair) => `${pair[1]} → ${pair[2]}`);
    const line = code + 1;
    marked.set(line, new Set([...(marked.get(line) ?? []), ...pairs]));
  });
  return marked;
}

function position(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Every mutant of `source`, in source order. */
export function watMutants(source: string): WatMutant[] {
  const code = withoutComments(source);
  const equivalents = equivalentsByLine(source);
  const mutants: WatMutant[] = [];
  for (const match of code.matchAll(TOKEN)) {
    const at = match.index;
    const [constant, instruction] = [match[1], match[2]];
    let original: string;
    let replacement: string;
    let offset: number;
    if (constant !== undefined) {
      original = constant;
      replacement = String(Number(constant) + 1);
      offset = at + '(i32.const '.length;
    } else {
      const swap = INSTRUCTION_SWAPS[instruction as string];
      if (swap === undefined) continue;
      original = instruction as string;
      replacement = swap;
      offset = at + 1;
    }
    const { line, column } = position(source, offset);
    mutants.push({
      line,
      column,
      original,
      replacement,
      source: source.slice(0, offset) + replacement + source.slice(offset + original.length),
      equivalent: equivalents.get(line)?.has(`${original} → ${replacement}`) ?? false
    });
  }
  return mutants;
}
