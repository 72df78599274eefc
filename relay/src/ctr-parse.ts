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

type ScanFunction = (n: number, out: number, maxMembers: number, stackAt: number, maxDepth: number) => number;

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

const FIELD_COUNT = CTR_FIELDS.length;
const FIELD_BYTES = CTR_FIELDS.map((name) => Buffer.from(name, 'latin1'));
const FIELD_INDEX: ReadonlyMap<string, number> = new Map(CTR_FIELDS.map((name, index) => [name, index]));
/** Field indexes by name length, to compare a key only with names as long as it. */
const FIELDS_BY_LENGTH: number[][] = [];
CTR_FIELDS.forEach((name, index) => {
  (FIELDS_BY_LENGTH[name.length] ??= []).push(index);
});

/** Memory layout for a text of n bytes: the text, a 0 byte, the nesting stack, then the member records. */
function layout(n: number): { stackAt: number; out: number; end: number } {
  const stackAt = n + 1;
  const out = (stackAt + MAX_DEPTH + 16 + 3) & ~3;
  return { stackAt, out, end: out + MAX_MEMBERS * RECORD_WORDS * 4 };
}

function reserve(bytes: number): void {
  if (heap.length >= bytes) return;
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
  return { result: scanExport(n, out, MAX_MEMBERS, stackAt, MAX_DEPTH), out };
}

/** Index in CTR_FIELDS of the key between start and end (escaped: it holds backslash escapes), or -1. */
function fieldOf(start: number, end: number, escaped: boolean): number {
  if (escaped) return FIELD_INDEX.get(JSON.parse(heap.toString('utf8', start - 1, end + 1)) as string) ?? -1;
  const candidates = FIELDS_BY_LENGTH[end - start];
  if (candidates === undefined) return -1;
  for (const index of candidates) {
    if (sameBytes(FIELD_BYTES[index] as Buffer, start)) return index;
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

/** Where each field's value is in the scanned text (last of duplicates), -1 when absent. */
const valueStart = new Int32Array(FIELD_COUNT);
const valueEnd = new Int32Array(FIELD_COUNT);
const valueEscaped = new Uint8Array(FIELD_COUNT);

/** A value's text made into a value, as JSON.parse makes it. */
function valueAt(start: number, end: number, escaped: boolean): unknown {
  const first = heap[start];
  if (first === 0x22 /* " */ && !escaped) return heap.toString('utf8', start + 1, end - 1);
  if (first === 0x6e /* n */) return null;
  return JSON.parse(heap.toString('utf8', start, end)) as unknown;
}

/**
 * The CTR_FIELDS members of the JSON object in `text` (UTF-8 bytes, checked by the caller; no byte-order mark),
 * exactly as JSON.parse would give them; null when the text is not a JSON object or is left to JSON.parse (see
 * above). The object holds only the fields present in the text.
 */
export function pickCtrFields(text: Uint8Array): Record<string, unknown> | null {
  const { result: count, out } = scanJson(text);
  if (count < 0) return null;
  valueStart.fill(-1);
  for (let member = 0, at = out >> 2; member < count; member++, at += RECORD_WORDS) {
    const index = fieldOf(words[at] as number, words[at + 1] as number, words[at + 2] !== 0);
    if (index < 0) continue;
    valueStart[index] = words[at + 3] as number;
    valueEnd[index] = words[at + 4] as number;
    valueEscaped[index] = words[at + 5] as number;
  }
  const fields: Record<string, unknown> = {};
  for (let index = 0; index < FIELD_COUNT; index++) {
    const start = valueStart[index] as number;
    if (start < 0) continue;
    fields[CTR_FIELDS[index] as string] = valueAt(
      start,
      valueEnd[index] as number,
      valueEscaped[index] !== 0
    );
  }
  return fields;
}
