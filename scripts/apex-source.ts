/**
 * Reading Apex source text: comments blanked out (offsets kept), string literals, and the SOQL/SOSL queries in it,
 * static or built from string literals.
 */

/** Replaces comments with spaces (newlines kept, so offsets and line numbers still match the source). */
export function stripComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    const next = source[i + 1];
    if (ch === "'") {
      const end = endOfString(source, i);
      out += source.slice(i, end);
      i = end;
    } else if (ch === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Index just past the Apex string literal starting at start (a quote). */
function endOfString(source: string, start: number): number {
  let i = start + 1;
  while (i < source.length) {
    if (source[i] === '\\') i += 2;
    else if (source[i] === "'") return i + 1;
    else if (source[i] === '\n')
      return i; // unterminated: stop at the line end
    else i++;
  }
  return i;
}

/** A query found in Apex: its text and where it starts in the file. */
export interface Query {
  text: string;
  offset: number;
  dynamic: boolean;
  /** For dynamic queries: [index in text, offset in the file] of each joined literal. */
  segments: Array<[number, number]>;
}

/** File offset of a position inside a query's text. */
export function sourceOffset(query: Query, at: number): number {
  let best: [number, number] = [0, query.offset];
  for (const segment of query.segments) if (segment[0] <= at) best = segment;
  return best[1] + (at - best[0]);
}

/** Static [SELECT …]/[FIND …] blocks and dynamic query strings (adjacent literals joined by +). */
export function findQueries(code: string): Query[] {
  const queries: Query[] = [];
  const staticStart = /\[\s*(SELECT|FIND)\b/gi;
  let match: RegExpExecArray | null;
  while ((match = staticStart.exec(code)) !== null) {
    let depth = 0;
    let i = match.index;
    for (; i < code.length; i++) {
      const ch = code[i];
      if (ch === "'") {
        i = endOfString(code, i) - 1;
      } else if (ch === '[') depth++;
      else if (ch === ']' && --depth === 0) break;
    }
    queries.push({
      text: code.slice(match.index + 1, i),
      offset: match.index + 1,
      dynamic: false,
      segments: []
    });
    staticStart.lastIndex = i;
  }

  // Dynamic: runs of string literals joined by + (other operands break the run; their place becomes a space).
  const literal = /'/g;
  let run: { text: string; offset: number; segments: Array<[number, number]> } | null = null;
  let cursor = 0;
  const flush = (): void => {
    if (run && /\b(SELECT|FIND|FROM|WHERE|ORDER\s+BY|AND|OR)\b/i.test(run.text) && /__c\b/i.test(run.text)) {
      queries.push({ text: run.text, offset: run.offset, dynamic: true, segments: run.segments });
    }
    run = null;
  };
  while ((match = literal.exec(code)) !== null) {
    const start = match.index;
    const end = endOfString(code, start);
    const between = code.slice(cursor, start);
    // Escapes are kept as written, so positions in the joined text map back to the file.
    const value = code.slice(start + 1, end - 1);
    if (run && /^\s*\+\s*$/.test(between)) {
      run.segments.push([run.text.length, start + 1]);
      run.text += value;
    } else {
      flush();
      run = { text: value, offset: start + 1, segments: [[0, start + 1]] };
    }
    cursor = end;
    literal.lastIndex = end;
  }
  flush();
  return queries;
}
