/**
 * `npm start -- --replay FILE [--retime]`: CTR files (JSON lines) as Kinesis records.
 */
import { readFileSync } from 'node:fs';
import type { StreamRecord } from './simulator';

/** Reads a JSON-lines CTR file; every non-blank line becomes one Kinesis record, malformed or not. */
export function readReplayFile(file: string): StreamRecord[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      let key = `line-${i + 1}`;
      try {
        const id = (JSON.parse(line) as { ContactId?: unknown }).ContactId;
        if (typeof id === 'string' && id !== '') key = id; // Connect partitions by ContactId: keeps per-contact order
      } catch {
        // Malformed lines are replayed as they are; the relay must park them.
      }
      return { data: line, partitionKey: key };
    });
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Moves every timestamp of the replayed CTRs by the same amount, so that the newest LastUpdateTimestamp is `nowMs`.
 * Lines that are not JSON objects are left exactly as they are (they must still be parked).
 */
export function retime(records: StreamRecord[], nowMs: number): StreamRecord[] {
  const parsed = records.map((r) => {
    try {
      const v: unknown = JSON.parse(r.data);
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  });
  const newest = Math.max(
    ...parsed
      .map((p) => (typeof p?.LastUpdateTimestamp === 'string' ? Date.parse(p.LastUpdateTimestamp) : NaN))
      .filter((t) => !Number.isNaN(t))
  );
  if (!Number.isFinite(newest)) return records;
  const delta = Math.floor((nowMs - newest) / 1000) * 1000;
  const shift = (v: unknown): unknown => {
    if (typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v))) {
      return new Date(Date.parse(v) + delta).toISOString().replace('.000Z', 'Z');
    }
    if (Array.isArray(v)) return v.map(shift);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shift(x)]));
    }
    return v;
  };
  return records.map((r, i) => (parsed[i] ? { ...r, data: JSON.stringify(shift(parsed[i])) } : r));
}
