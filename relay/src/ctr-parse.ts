/**
 * Reads a large CTR's JSON text without building what the relay never reads. JSON.parse builds every object of a CTR
 * (recordings, references, tags…), which is most of the time of decoding an 8 KB one; here a WebAssembly scanner
 * (ctr-scan.wat) checks the WHOLE text exactly as JSON.parse does — what one refuses the other refuses — and reports
 * where each top-level member is, and only the members in CTR_FIELDS are then made into values, by JSON.parse.
 *
 * Same result as JSON.parse for those fields: a key written with escapes ("Contact\u0049d") is that key, the last
 * of duplicate keys wins, and a value is exactly what JSON.parse makes of its text (a "__proto__" member inside a
 * value included). A text that is not a JSON object (invalid JSON included), nests deeper than MAX_DEPTH or has more
 * than MAX_MEMBERS top-level members gives null: the caller parses it whole, which also names the error.
 */
import { CTR_FIELDS } from './ctr';
import { CTR_SCAN_WASM } from './ctr-scan-wasm';

/**
 * Texts shorter than this are better parsed whole: the scanner's fixed costs (a call per field read) match what it
 * saves at about 2 KB (measured on the bench's traffic; at 8 KB it halves the decoding time).
 */
export const SCAN_MIN_BYTES = 2048;
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

/** Views of the scanner's memory; made again whenever it grows (growing detaches the old ones). */
let heap = Buffer.from(memory.buffer);
let words = new Int32Array(memory.buffer);

/**
 * Names to pick from a scanned object, ready to be compared with the scanned bytes: a key is compared only with the
 * names of its length in UTF-8 bytes, byte by byte (no string made, no native call).
 */
export interface KeySet {
  readonly names: readonly string[];
  readonly bytes: readonly Buffer[];
  readonly byLength: readonly (readonly number[] | undefined)[];
  readonly index: ReadonlyMap<string, number>;
  /** Where each name's value is in the scanned text (last of duplicates), -1 when absent; reused per read. */
  readonly valueStart: Int32Array;
  readonly valueEnd: Int32Array;
  readonly valueEscaped: Uint8Array;
}

export function keySet(names: readonly string[]): KeySet {
  const unique = [...new Set(names)];
  const bytes = unique.map((name) => Buffer.from(name, 'utf8'));
  const byLength: number[][] = [];
  bytes.forEach((b, index) => {
    (byLength[b.length] ??= []).push(index);
  });
  return {
    names: unique,
    bytes,
    byLength,
    index: new Map(unique.map((name, index) => [name, index])),
    valueStart: new Int32Array(unique.length),
    valueEnd: new Int32Array(unique.length),
    valueEscaped: new Uint8Array(unique.length)
  };
}

const FIELDS = keySet(CTR_FIELDS);
const ATTRIBUTES_INDEX = FIELDS.index.get('Attributes') as number;

/**
 * Memory layout for a text of n bytes: the text, a 0 byte, the nesting stack, then the member records (of the text,
 * and later of its Attributes object: see pickCtrFields).
 */
function layout(n: number): { stackAt: number; out: number; end: number } {
  const stackAt = n + 1;
  // Stryker disable next-line ArithmeticOperator: "+ 16 - 3" still leaves the stack room; the 16 is slack only
  const out = (stackAt + MAX_DEPTH + 16 + 3) & ~3;
  return { stackAt, out, end: out + MAX_MEMBERS * RECORD_WORDS * 4 };
}

function reserve(bytes: number): void {
  if (heap.length >= bytes) return;
  // Stryker disable next-line ArithmeticOperator: growing by more pages than needed is only wasteful
  memory.grow(Math.ceil((bytes - heap.length) / 65536));
  heap = Buffer.from(memory.buffer);
  words = new Int32Array(memory.buffer);
}

/**
 * Scans `text` (UTF-8 bytes, no byte-order mark) into the scanner's memory: the number of top-level members of a
 * JSON object (their records are at the returned `out`), or SCAN_INVALID, SCAN_NOT_OBJECT or SCAN_UNDECIDED.
 */
export function scanJson(text: Uint8Array): { result: number; out: number } {
  const n = text.length;
  const { stackAt, out, end } = layout(n);
  reserve(end);
  heap.set(text, 0);
  heap[n] = 0;
  return { result: scanExport(0, n, out, MAX_MEMBERS, stackAt, MAX_DEPTH), out };
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

/** A value's text made into a value, as JSON.parse makes it. */
function valueAt(start: number, end: number, escaped: boolean): unknown {
  const first = heap[start];
  if (first === 0x22 /* " */ && !escaped) return heap.toString('utf8', start + 1, end - 1);
  if (first === 0x6e /* n */) return null;
  return JSON.parse(heap.toString('utf8', start, end)) as unknown;
}

/** Notes where each of `keys` is among `count` member records at `out` (the last of duplicates wins). */
function locate(keys: KeySet, count: number, out: number): void {
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

/** An own property, as JSON.parse makes one: a "__proto__" key included (plain assignment would set the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // Stryker disable next-line ConditionalExpression: defining every property this way gives the same object, slower
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Marks a value the scanner could not read on its own (see pickFromValue). */
const UNREAD = Symbol('unread');

/**
 * The members of `keys` of the object value at [start, end) of the text scanned last, as JSON.parse gives them; any
 * other value (not an object) whole, as JSON.parse makes it. The value was checked with the whole text, so a second
 * scan of it can only find it undecided (more than MAX_MEMBERS members); anything else would be a scanner fault,
 * and gives UNREAD, so that the CTR is parsed whole instead (tests see it as a refused text).
 */
function pickFromValue(
  keys: KeySet,
  start: number,
  end: number,
  escaped: boolean,
  place: { stackAt: number; out: number }
): unknown {
  if (heap[start] !== 0x7b /* { */) return valueAt(start, end, escaped);
  const count = scanExport(start, end, place.out, MAX_MEMBERS, place.stackAt, MAX_DEPTH);
  const picked: Record<string, unknown> = {};
  // Stryker disable next-line ConditionalExpression: parsing every Attributes object whole, then picking, is the slow way to the same object
  if (count === SCAN_UNDECIDED) {
    const whole = JSON.parse(heap.toString('utf8', start, end)) as Record<string, unknown>;
    for (const name of keys.names) {
      if (Object.prototype.hasOwnProperty.call(whole, name)) setOwn(picked, name, whole[name]);
    }
    return picked;
  }
  // Stryker disable next-line ConditionalExpression: a scanner fault only (the value was accepted with the whole text)
  if (count < 0) return UNREAD;
  locate(keys, count, place.out);
  for (let index = 0; index < keys.names.length; index++) {
    const at = keys.valueStart[index] as number;
    // Stryker disable next-line EqualityOperator: no value starts at byte 0 (the text starts with "{")
    if (at < 0) continue;
    setOwn(
      picked,
      keys.names[index] as string,
      // Stryker disable next-line ConditionalExpression: JSON.parse of an unescaped string gives the same string, slower
      valueAt(at, keys.valueEnd[index] as number, keys.valueEscaped[index] !== 0)
    );
  }
  return picked;
}

/**
 * The CTR_FIELDS members of the JSON object in `text` (UTF-8 bytes, checked by the caller; no byte-order mark),
 * exactly as JSON.parse would give them; null when the text is not a JSON object or is left to JSON.parse (see
 * above). The object holds only the fields present in the text. With `attributes`, an Attributes object holds only
 * those names (a CTR's attributes are most of its fields the relay reads, and it reads only a few by name).
 */
export function pickCtrFields(text: Uint8Array, attributes?: KeySet): Record<string, unknown> | null {
  const { result: count, out } = scanJson(text);
  if (count < 0) return null;
  // From here on the member records are no longer read: the Attributes object's records are written over them.
  locate(FIELDS, count, out);
  const fields: Record<string, unknown> = {};
  for (let index = 0; index < FIELDS.names.length; index++) {
    const start = FIELDS.valueStart[index] as number;
    // Stryker disable next-line EqualityOperator: no value starts at byte 0 (the text starts with "{")
    if (start < 0) continue;
    const end = FIELDS.valueEnd[index] as number;
    // Stryker disable next-line ConditionalExpression: JSON.parse of an unescaped string gives the same string, slower
    const escaped = FIELDS.valueEscaped[index] !== 0;
    const value =
      attributes !== undefined && index === ATTRIBUTES_INDEX
        ? pickFromValue(attributes, start, end, escaped, layout(text.length))
        : valueAt(start, end, escaped);
    if (value === UNREAD) return null;
    fields[FIELDS.names[index] as string] = value;
  }
  return fields;
}
