import type { CdbList } from './cdb-lists.ts';
import { addressLookup } from './cdb-lists.ts';
import type { AgentState } from './correlation-state.ts';
import { matchIpList, type IpList } from './ip-list.ts';
import { fieldValue, hhmmOf, weekdayOf, type RuleInput } from './rule-input.ts';
import type { RuleCheck } from './rule-types.ts';
import { inTimeWindow, type TimeWindow } from './time-window.ts';
import { lowerAscii, type LoweredOsMatch } from './lowered-os-match.ts';

/**
 * The conditions a rule can hold, each one small matcher built once at load time. Every check answers for one
 * event; a rule matches when all its checks pass, in the order Wazuh runs them (see compile-rule.ts).
 */

/** Anything that tests a string: an OS_Match, OS_Regex or PCRE2 pattern, or an exact string. */
export interface StringTest {
  test(subject: string): boolean;
}

/** Reads one value of the event; undefined when the field is not set. */
export type Getter = (input: RuleInput) => string | undefined;

/**
 * A field's value as text. Decoders give strings, but a decoded event's `data` may hold other JSON values (the
 * schema allows them, e.g. from an enricher): they compare as their text, never crash a check.
 */
function text(v: unknown): string | undefined {
  return v === undefined ? undefined : typeof v === 'string' ? v : String(v);
}

export const getters = {
  log: (i: RuleInput) => i.log,
  programName: (i: RuleInput) => i.programName,
  hostname: (i: RuleInput) => i.hostname,
  location: (i: RuleInput) => i.location,
  /** `<user>`: dstuser if set, else srcuser. */
  user: (i: RuleInput) => text(i.fields['dstuser'] ?? i.fields['srcuser']),
  /** A list's `field="user"`: srcuser if set, else dstuser (the opposite order, as Wazuh does). */
  listUser: (i: RuleInput) => text(i.fields['srcuser'] ?? i.fields['dstuser']),
  field: (name: string): Getter => (i) => text(i.fields[name]),
  dynamic: (name: string): Getter => {
    const lower = name.toLowerCase();
    return (i) => fieldValue(i, name, lower);
  },
  /** srcgeoip / dstgeoip: set by an enricher, else looked up from srcip / dstip when a GeoIP database is configured. */
  geo: (field: 'srcgeoip' | 'dstgeoip', ipField: 'srcip' | 'dstip'): Getter => (i) => {
    const v = text(i.fields[field]);
    if (v !== undefined) return v;
    const ip = text(i.fields[ipField]);
    return ip !== undefined && i.geoLookup ? i.geoLookup(ip) : undefined;
  },
};

/** A pattern on a field: the field must be set (even with negate), then the pattern decides. */
export function patternCheck(get: Getter, pattern: StringTest, negate: boolean): RuleCheck {
  return negate
    ? (i) => {
        const v = get(i);
        return v !== undefined && !pattern.test(v);
      }
    : (i) => {
        const v = get(i);
        return v !== undefined && pattern.test(v);
      };
}

/** An OS_Match on the log: the log is lowered once per event, whatever the number of rules testing it. */
export function loweredLogCheck(pattern: LoweredOsMatch, negate: boolean): RuleCheck {
  return (i) => {
    const v = i.logLower ?? (i.logLower = lowerAscii(i.log));
    return negate ? !pattern.testLowered(v) : pattern.testLowered(v);
  };
}

/** `<srcip>`/`<dstip>`: an invalid or missing address fails, unless negated. */
export function ipCheck(get: Getter, list: IpList, negate: boolean): RuleCheck {
  return (i) => {
    const v = get(i);
    if (v === undefined) return false;
    const r = matchIpList(list, v);
    if (r === undefined) return negate;
    return negate ? !r : r;
  };
}

export function decodedAsCheck(name: string): RuleCheck {
  return (i) => i.decoderName === name;
}

export function maxsizeCheck(size: number): RuleCheck {
  return (i) => i.log.length >= size;
}

export function timeCheck(w: TimeWindow): RuleCheck {
  return (i) => inTimeWindow(w, hhmmOf(i));
}

export function weekdayCheck(mask: number): RuleCheck {
  return (i) => (mask & (1 << weekdayOf(i))) !== 0;
}

export type ListLookup = 'match_key' | 'not_match_key' | 'match_key_value' | 'address_match_key' | 'not_address_match_key' | 'address_match_key_value';

/** `<list>`: a CDB lookup. An unset field fails for every lookup type. */
export function listCheck(get: Getter, list: CdbList, lookup: ListLookup, checkValue: StringTest | undefined): RuleCheck {
  switch (lookup) {
    case 'match_key':
      return (i) => {
        const v = get(i);
        return v !== undefined && list.has(v);
      };
    case 'not_match_key':
      return (i) => {
        const v = get(i);
        return v !== undefined && !list.has(v);
      };
    case 'match_key_value':
      return (i) => {
        const v = get(i);
        if (v === undefined || !checkValue) return false;
        const value = list.get(v);
        return value !== undefined && checkValue.test(value);
      };
    case 'address_match_key':
      return (i) => {
        const v = get(i);
        return v !== undefined && addressLookup(list, v) !== undefined;
      };
    case 'not_address_match_key':
      return (i) => {
        const v = get(i);
        return v !== undefined && addressLookup(list, v) === undefined;
      };
    case 'address_match_key_value':
      // Inverted in Wazuh's C code: true when nothing is found or the value does not match.
      return (i) => {
        const v = get(i);
        if (v === undefined) return false;
        const value = addressLookup(list, v);
        return value === undefined || !checkValue || !checkValue.test(value);
      };
  }
}

/** `<check_diff/>`: stores the last log per rule; matches when it changed (never on the first event). */
export function checkDiffCheck(ruleId: string): RuleCheck {
  return (i: RuleInput, state: AgentState) => {
    const key = `${i.hostname ?? ''}\u0000${ruleId}`;
    const last = state.lastLog.get(key);
    if (last === i.log) return false;
    state.lastLog.set(key, i.log);
    if (last === undefined) return false;
    i.previousLog = last;
    return true;
  };
}

/** `<if_fts/>`: the owner decoder has `<fts>` and its key was never seen (it is then remembered). */
export const ifFtsCheck: RuleCheck = (i, state) => {
  const key = i.event.decoder?.fts;
  if (key === undefined) return false;
  if (state.ftsSeen.has(key)) return false;
  state.ftsSeen.add(key);
  return true;
};

/** An exact, case-sensitive string (the default of `<action>`). */
export function exactString(value: string): StringTest {
  return { test: (s) => s === value };
}
