/**
 * What the scanner of ctr-parse.ts keeps of a CTR, computed from JSON.parse's result (the tests' oracle): the
 * CTR_FIELDS own properties, an object value of a field in CTR_MEMBER_FIELDS with only those members, and, with
 * attribute names, an Attributes object with only those.
 */
import { CTR_FIELDS, CTR_MEMBER_FIELDS } from '../../src/ctr';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own properties `names` of an object, as JSON.parse made them ("__proto__" as an own property too). */
export function ownNames(value: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    if (Object.prototype.hasOwnProperty.call(value, name)) {
      Object.defineProperty(out, name, {
        value: value[name],
        writable: true,
        enumerable: true,
        configurable: true
      });
    }
  }
  return out;
}

/** The members read of a field's object value: CTR_MEMBER_FIELDS, the attribute names, or undefined (all). */
function membersOf(field: string, attributeNames?: readonly string[]): readonly string[] | undefined {
  if (field === 'Attributes') return attributeNames;
  return Object.prototype.hasOwnProperty.call(CTR_MEMBER_FIELDS, field)
    ? CTR_MEMBER_FIELDS[field as keyof typeof CTR_MEMBER_FIELDS]
    : undefined;
}

/** The fields of a parsed CTR as pickCtrFields (with those attribute names) gives them. */
export function pickedFields(
  parsed: Record<string, unknown>,
  attributeNames?: readonly string[]
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of CTR_FIELDS) {
    if (!Object.prototype.hasOwnProperty.call(parsed, name)) continue;
    const value = parsed[name];
    const members = membersOf(name, attributeNames);
    out[name] = members !== undefined && isObject(value) ? ownNames(value, members) : value;
  }
  return out;
}
