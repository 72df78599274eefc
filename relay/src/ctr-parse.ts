/**
 * Reads a CTR's JSON text without building what the relay never reads. JSON.parse builds every object of a CTR
 * (recordings, references, tags…), which is most of the time of decoding one; here a WebAssembly scanner
 * (ctr-scan.wat) checks the WHOLE text exactly as JSON.parse does — what one refuses the other refuses — and reports
 * where each top-level member is, finds the members in CTR_FIELDS among them (and in the Queue, Agent, endpoint and
 * Attributes objects, the few members the relay reads), and only those are made into values: the scanner gathers
 * their texts side by side, which become one string (a CTR's text is mostly what the relay never reads), and an
 * unescaped string is a slice of it, anything else JSON.parse of its text.
 *
 * Same result as JSON.parse for those members: a key written with escapes ("Contact\u0049d") is that key, the last
 * of duplicate keys wins, and a value is exactly what JSON.parse makes of its text (a "__proto__" member inside a
 * value included). A text that is not a JSON object (invalid JSON included), nests deeper than MAX_DEPTH or has more
 * than MAX_MEMBERS top-level members gives null: the caller parses it whole, which also names the error.
 */
import { CTR_FIELDS, CTR_MEMBER_FIELDS } from './ctr';
import { CTR_SCAN_WASM } from './ctr-scan-wasm';
import { ownMembers, setField, setMember } from './ctr-store';
import { keySet, type KeySet } from './key-set';

export { keySet, type KeySet } from './key-set';

/** Deeper nesting is left to JSON.parse (it has no limit); CTRs nest three or four levels. */
export const MAX_DEPTH = 4096;
/** More top-level members are left to JSON.parse; a CTR has about thirty. */
export const MAX_MEMBERS = 4096;

/** Words per member in the scanner's output: key start, key end, key escaped, value start, value end, value escaped. */
const RECORD_WORDS = 6;

/** Outcome of a scan, besides a member count (>= 0). */
export const SCAN_INVALID = -1;
export const SCAN_NOT_OBJECT = -2;
export const SCAN_UNDECIDED = -3;

type ScanFunction = (
  start: number,
  n: number,
  out: number,
  maxMembers: number,
  stackAt: number,
  maxDepth: number
) => number;
type MatchFunction = (out: number, count: number, table: number, nameCount: number, slots: number) => number;

/** The part of the WebAssembly API used here (the project's type libraries declare none of it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
};

const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(CTR_SCAN_WASM, 'base64')));
const memory = instance.exports.memory as WasmMemory;
const scanExport = instance.exports.scan as ScanFunction;
const matchExport = instance.exports.match as MatchFunction;
const asciiExport = instance.exports.ascii as (start: number, end: number) => number;
const gatherExport = instance.exports.gather as (list: number, count: number, dst: number) => number;

/**
 * The scanner's memory: key tables (see placeKeys) in [0, KEYS_BYTES), then the text from TEXT_AT, then what
 * layout() places after it.
 */
const KEYS_BYTES = 16 * 1024;
const TEXT_AT = KEYS_BYTES;
/** Words per name in the match's slots. */
const SLOT_WORDS = 3;
/** The most names a key table placed in the scanner's memory can have (each takes an entry of 8 bytes at least). */
const MAX_PLACED_NAMES = KEYS_BYTES / 8;

/** Views of the scanner's memory; made again whenever it grows (growing detaches the old ones). */
let heap = Buffer.from(memory.buffer);
let words = new Int32Array(memory.buffer);
/** The memory from TEXT_AT on (see textArea). */
let area = heap.subarray(TEXT_AT);

/**
 * How the scanner's fast paths were used so far, for tests: key tables placed in its memory (placeKeys), objects
 * whose keys were compared in JavaScript instead of by its match (locate).
 */
const stats = { tablesPlaced: 0, objectsMatchedInJavaScript: 0 };

export function scannerStats(): Readonly<typeof stats> {
  return { ...stats };
}

/** Current placement round of key tables, and how much of [0, KEYS_BYTES) it has filled. */
let placementRound = 0;
let keysUsed = 0;

/**
 * Where `keys`' table is in the scanner's memory, placed there on first use and kept (a relay reads with the same
 * few key sets all the time); when the area is full, a new round starts and every set is placed again as used. -1
 * when the table is larger than the whole area (its keys are then compared in JavaScript).
 */
function placeKeys(keys: KeySet): number {
  const placed = keys.placed;
  if (placed.round === placementRound) return placed.at;
  const size = (keys.table.length + 3) & ~3;
  // Stryker disable next-line EqualityOperator: a table of exactly KEYS_BYTES would fit; compared in JavaScript, the same result
  if (size > KEYS_BYTES) return -1;
  // Stryker disable next-line EqualityOperator: a new round when the table would just have fit places every set again: slower, the same matches
  if (keysUsed + size > KEYS_BYTES) {
    // Stryker disable next-line AssignmentOperator: rounds need only differ from one another
    placementRound += 1;
    keysUsed = 0;
  }
  heap.set(keys.table, keysUsed);
  stats.tablesPlaced += 1;
  placed.at = keysUsed;
  placed.round = placementRound;
  keysUsed += size;
  return placed.at;
}

const FIELDS = keySet(CTR_FIELDS);
const ATTRIBUTES_INDEX = FIELDS.index.get('Attributes') as number;
/** For each of FIELDS, the key set of the members read of its object value (CTR_MEMBER_FIELDS), if any. */
const MEMBERS_OF_FIELD: readonly (KeySet | undefined)[] = FIELDS.names.map((name) =>
  Object.prototype.hasOwnProperty.call(CTR_MEMBER_FIELDS, name)
    ? keySet(CTR_MEMBER_FIELDS[name as keyof typeof CTR_MEMBER_FIELDS])
    : undefined
);

/**
 * The most values one read gathers: a field gathers its value or the members picked from it, at most MAX_MEMBERS (an
 * object with more is parsed whole). They are also distinct parts of the text, so never more than its bytes.
 */
const MAX_GATHERED = CTR_FIELDS.length * MAX_MEMBERS;

/** Where a read puts what in the scanner's memory (see layout). */
interface Layout {
  readonly stackAt: number;
  readonly out: number;
  readonly slots: number;
  readonly list: number;
  readonly gathered: number;
  readonly end: number;
}

/**
 * Memory layout for a text of n bytes at TEXT_AT: the text, a 0 byte, the nesting stack, the member records (of the
 * text, and later of a member's object value), the slots of a match, the list of the values to gather (two words
 * each), then the gathered values (at most the text's bytes: they are distinct parts of it) and 16 bytes of room.
 */
function layout(n: number): Layout {
  const stackAt = TEXT_AT + n + 1;
  // Stryker disable next-line ArithmeticOperator: "+ 16 - 3" still leaves the stack room; the 16 is slack only
  const out = (stackAt + MAX_DEPTH + 16 + 3) & ~3;
  const slots = out + MAX_MEMBERS * RECORD_WORDS * 4;
  const list = slots + MAX_PLACED_NAMES * SLOT_WORDS * 4;
  // Stryker disable next-line MethodExpression: room for more values than a read can gather is only slack
  const gathered = list + Math.min(n, MAX_GATHERED) * 8;
  // 16 bytes more: gather copies 16 bytes at a time, so its last copy may run up to 15 bytes past the values
  // Stryker disable next-line ArithmeticOperator: the room is used only when the values end within 15 bytes of the memory's end (past a text's last value come at least its closing brace and the keys)
  return { stackAt, out, slots, list, gathered, end: gathered + n + 16 };
}

function reserve(bytes: number): void {
  // Stryker disable next-line EqualityOperator: growing when the memory is exactly large enough only wastes a page
  if (heap.length >= bytes) return;
  // Stryker disable next-line ArithmeticOperator: growing by more pages than needed is only wasteful
  memory.grow(Math.ceil((bytes - heap.length) / 65536));
  heap = Buffer.from(memory.buffer);
  words = new Int32Array(memory.buffer);
  area = heap.subarray(TEXT_AT);
}

/**
 * Room for a text of up to `length` bytes in the scanner's memory, from the returned buffer's start (which is longer):
 * write the text there and read it with pickWrittenText, which saves copying it in. Valid until the next call into
 * this module; the same buffer is returned until the memory grows (no view is made per text).
 */
export function textArea(length: number): Buffer {
  reserve(layout(length).end);
  return area;
}

/** The bytes at [0, end) of textArea are all ASCII (checked by the scanner: no view of them is made). */
export function writtenTextIsAscii(end: number): boolean {
  return asciiExport(TEXT_AT, TEXT_AT + end) === 1;
}

/**
 * Scans `text` (UTF-8 bytes, no byte-order mark) into the scanner's memory: the number of top-level members of a
 * JSON object (their records are at the returned `out`), or SCAN_INVALID, SCAN_NOT_OBJECT or SCAN_UNDECIDED.
 */
export function scanJson(text: Uint8Array): { result: number; out: number } {
  textArea(text.length).set(text);
  const place = layout(text.length);
  return { result: scanWritten(0, text.length, place), out: place.out };
}

/** scanJson of the bytes at [start, end) of the text area, laid out as `place` (layout(end)). */
function scanWritten(start: number, end: number, place: Layout): number {
  heap[TEXT_AT + end] = 0;
  return scanExport(TEXT_AT + start, TEXT_AT + end, place.out, MAX_MEMBERS, place.stackAt, MAX_DEPTH);
}

/** Index in `keys` of the key between start and end (escaped: it holds backslash escapes), or -1. */
function keyOf(keys: KeySet, start: number, end: number, escaped: boolean): number {
  // Stryker disable next-line ConditionalExpression: JSON.parse of an unescaped key gives the same key, slower
  if (escaped) return keys.index.get(JSON.parse(heap.toString('utf8', start - 1, end + 1)) as string) ?? -1;
  const candidates = keys.byLength[end - start];
  if (candidates === undefined) return -1;
  for (const index of candidates) {
    if (sameBytes(keys.bytes[index] as Buffer, start)) return index;
  }
  return -1;
}

/** The scanned text holds `name` at `start` (compared in JavaScript: no copy, no native call). */
function sameBytes(name: Buffer, start: number): boolean {
  for (let k = 0; k < name.length; k++) {
    if (heap[start + k] !== name[k]) return false;
  }
  return true;
}

/**
 * Notes where each of `keys` is among `count` member records at `out` (the last of duplicates wins): compared by the
 * scanner's match when it can, else here.
 */
function locate(keys: KeySet, count: number, out: number, slots: number): void {
  const names = placeKeys(keys);
  if (names >= 0 && matchExport(out, count, names, keys.names.length, slots) === 0) {
    // Stryker disable next-line EqualityOperator: a typed array ignores a write one past its end
    for (let index = 0, at = slots >> 2; index < keys.names.length; index++, at += SLOT_WORDS) {
      keys.valueStart[index] = words[at] as number;
      keys.valueEnd[index] = words[at + 1] as number;
      keys.valueEscaped[index] = words[at + 2] as number;
    }
    return;
  }
  stats.objectsMatchedInJavaScript += 1;
  keys.valueStart.fill(-1);
  for (let member = 0, at = out >> 2; member < count; member++, at += RECORD_WORDS) {
    // Stryker disable next-line ConditionalExpression: JSON.parse of an unescaped key gives the same key, slower
    const index = keyOf(keys, words[at] as number, words[at + 1] as number, words[at + 2] !== 0);
    // Stryker disable next-line ConditionalExpression: a typed array ignores writes at index -1
    if (index < 0) continue;
    keys.valueStart[index] = words[at + 3] as number;
    keys.valueEnd[index] = words[at + 4] as number;
    keys.valueEscaped[index] = words[at + 5] as number;
  }
}

/** The key set of the members read of field `index`'s object value: `attributes` for Attributes, if any. */
function membersOf(index: number, attributes: KeySet | undefined): KeySet | undefined {
  return index === ATTRIBUTES_INDEX ? attributes : MEMBERS_OF_FIELD[index];
}

/** How a read takes a field's value (see pickWrittenText). */
const ABSENT = 0;
/** The value as written. */
const WHOLE = 1;
/** An object's members located in it by its key set (each of those present is gathered). */
const MEMBERS = 2;
/** An object too large to scan on its own (more than MAX_MEMBERS members): parsed whole, then picked. */
const PARSED_THEN_PICKED = 3;
/** Per field of FIELDS, how the current read takes it. */
const fieldMode = new Uint8Array(CTR_FIELDS.length);

/** Values gathered so far by the current read (see gather). */
let gathered = 0;

/** Adds the value at [start, end) to the values the current read gathers (at `list`, see layout). */
function gather(list: number, start: number, end: number): void {
  const at = (list >> 2) + gathered * 2;
  words[at] = start;
  words[at + 1] = end;
  gathered += 1;
}

/**
 * Notes how the field `index` (its value at [start, end)) is read, and gathers what it needs: an object value of a
 * field whose members are picked is scanned on its own for them. False on a scanner fault: the value was accepted
 * with the whole text, so that scan can only find it undecided (more than MAX_MEMBERS members); anything else
 * makes the caller parse the CTR whole instead (tests see it as a refused text).
 */
function planField(
  index: number,
  start: number,
  end: number,
  members: KeySet | undefined,
  place: Layout
): boolean {
  if (members === undefined || heap[start] !== 0x7b /* { */) {
    fieldMode[index] = WHOLE;
    gather(place.list, start, end);
    return true;
  }
  const count = scanExport(start, end, place.out, MAX_MEMBERS, place.stackAt, MAX_DEPTH);
  // Stryker disable next-line ConditionalExpression: parsing every object whole, then picking, is the slow way to the same object
  if (count === SCAN_UNDECIDED) {
    fieldMode[index] = PARSED_THEN_PICKED;
    gather(place.list, start, end);
    return true;
  }
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: a scanner fault only (the value was accepted with the whole text)
  if (count < 0) return false;
  locate(members, count, place.out, place.slots);
  fieldMode[index] = MEMBERS;
  // Stryker disable next-line EqualityOperator: one more round reads past the typed array's end, undefined, not gathered
  for (let member = 0; member < members.names.length; member++) {
    const at = members.valueStart[member] as number;
    // Stryker disable next-line EqualityOperator: no value starts at byte 0 (the key area comes first)
    if (at >= 0) gather(place.list, at, members.valueEnd[member] as number);
  }
  return true;
}

/**
 * The gathered values' text as a string when the text is all ASCII (then a value is a slice of it: no call out of
 * JavaScript per value), else null; and where the next value read is in it.
 */
let gatheredText: string | null = null;
let gatheredAt = 0;

/** The value at [start, end) of the text, the next of the gathered values, as JSON.parse makes it. */
function nextValue(start: number, end: number, escaped: boolean): unknown {
  const at = gatheredAt;
  gatheredAt += end - start;
  const first = heap[start] as number;
  // Stryker disable next-line ConditionalExpression: JSON.parse of null gives null, slower
  if (first === 0x6e /* n */) return null;
  // Stryker disable next-line ConditionalExpression,BlockStatement: the values' bytes made into strings one at a time give the same values, slower
  if (gatheredText !== null) {
    // Stryker disable next-line ConditionalExpression: JSON.parse of an unescaped string gives the same string, slower
    if (first === 0x22 /* " */ && !escaped) return gatheredText.slice(at + 1, at + end - start - 1);
    const written = gatheredText.slice(at, at + end - start);
    // The scanner accepted the number's text as JSON, and for such a text Number gives JSON.parse's number (-0
    // included), at a fraction of the cost.
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: JSON.parse of a number gives the same number, slower
    if (first === 0x2d /* - */ || (first >= 0x30 && first <= 0x39)) return Number(written);
    return JSON.parse(written) as unknown;
  }
  // Stryker disable next-line ConditionalExpression: JSON.parse of an unescaped string gives the same string, slower
  if (first === 0x22 /* " */ && !escaped) return heap.toString('utf8', start + 1, end - 1);
  return JSON.parse(heap.toString('utf8', start, end)) as unknown;
}

/** The members of `keys` located by planField, as JSON.parse gives them. */
function locatedMembers(keys: KeySet): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (let member = 0; member < keys.names.length; member++) {
    const at = keys.valueStart[member] as number;
    // Stryker disable next-line EqualityOperator: no value starts at byte 0 (the key area comes first)
    if (at < 0) continue;
    setMember(
      picked,
      keys.names[member] as string,
      // Stryker disable next-line ConditionalExpression: JSON.parse of an unescaped string gives the same string, slower
      nextValue(at, keys.valueEnd[member] as number, keys.valueEscaped[member] !== 0)
    );
  }
  return picked;
}

/**
 * The CTR_FIELDS members of the JSON object in `text` (UTF-8 bytes, checked by the caller; no byte-order mark),
 * exactly as JSON.parse would give them but for the objects the relay reads a few members of: a Queue, Agent,
 * CustomerEndpoint or TransferredToEndpoint object holds only its CTR_MEMBER_FIELDS and, with `attributes`, an
 * Attributes object only those names (a CTR's attributes are most of its fields the relay reads, and it reads only
 * a few by name). Null when the text is not a JSON object or is left to JSON.parse (see above). The object holds
 * only the fields present in the text.
 */
export function pickCtrFields(text: Uint8Array, attributes?: KeySet): Record<string, unknown> | null {
  textArea(text.length).set(text);
  return pickWrittenText(0, text.length, writtenTextIsAscii(text.length), attributes);
}

/**
 * pickCtrFields of the bytes at [start, end) of textArea (UTF-8, no byte-order mark); `ascii`: every byte at [0, end)
 * is ASCII (writtenTextIsAscii).
 */
export function pickWrittenText(
  start: number,
  end: number,
  ascii: boolean,
  attributes?: KeySet
): Record<string, unknown> | null {
  const place = layout(end);
  const count = scanWritten(start, end, place);
  if (count < 0) return null;
  // From here on the member records are no longer read: a value's object writes its records over them.
  locate(FIELDS, count, place.out, place.slots);
  gathered = 0;
  // Stryker disable next-line EqualityOperator: one more round reads past the typed arrays' end and gathers an empty part: the same values
  for (let index = 0; index < FIELDS.names.length; index++) {
    const at = FIELDS.valueStart[index] as number;
    fieldMode[index] = ABSENT;
    // Stryker disable next-line EqualityOperator: no value starts at byte 0 (the key area comes first)
    if (at < 0) continue;
    // Stryker disable next-line ConditionalExpression: a scanner fault only (see planField)
    if (!planField(index, at, FIELDS.valueEnd[index] as number, membersOf(index, attributes), place))
      return null;
  }
  // Only the values read are made into one string (a CTR's text is mostly what the relay never reads); a text that
  // is not ASCII has its values made from the text itself (see nextValue), so nothing is gathered for it.
  gatheredText = ascii
    ? heap.toString(
        'latin1',
        place.gathered,
        place.gathered + gatherExport(place.list, gathered, place.gathered)
      )
    : null;
  gatheredAt = 0;
  const fields: Record<string, unknown> = {};
  for (let index = 0; index < FIELDS.names.length; index++) {
    const mode = fieldMode[index];
    if (mode === ABSENT) continue;
    const members = membersOf(index, attributes) as KeySet;
    if (mode === MEMBERS) {
      setField(fields, index, locatedMembers(members));
      continue;
    }
    const value = nextValue(
      FIELDS.valueStart[index] as number,
      FIELDS.valueEnd[index] as number,
      // Stryker disable next-line ConditionalExpression: JSON.parse of an unescaped string gives the same string, slower
      FIELDS.valueEscaped[index] !== 0
    );
    setField(fields, index, mode === WHOLE ? value : ownMembers(value as Record<string, unknown>, members));
  }
  return fields;
}
