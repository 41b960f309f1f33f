import type { FieldTarget } from './decoder-types.ts';

/**
 * The fields a decoder extracts, flat: static fields by name (a later write replaces an earlier one), then dynamic
 * fields, dotted names kept flat (`audit.uid`); for a dynamic field the first occurrence wins, as Wazuh's lookups
 * and JSON output use the first one. Values are strings, as Wazuh keeps them.
 */
export type DecodedFields = Record<string, string>;

export function setField(fields: DecodedFields, target: FieldTarget, value: string): void {
  if (target.isStatic) fields[target.name] = value;
  else if (!Object.hasOwn(fields, target.name)) fields[target.name] = value;
}

export function setStatic(fields: DecodedFields, name: string, value: string): void {
  fields[name] = value;
}

export function addDynamic(fields: DecodedFields, name: string, value: string): void {
  if (!Object.hasOwn(fields, name)) fields[name] = value;
}
