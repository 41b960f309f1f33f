import { compileMatcher, parseDialect, type PatternDialect, type XmlElement } from '@vigil/wazuh-format';
import { compileLoweredOsMatch } from './lowered-os-match.ts';
import type { CdbList } from './cdb-lists.ts';
import { listName } from './cdb-lists.ts';
import { compileIpList } from './ip-list.ts';
import { splitGroups } from './rule-groups.ts';
import {
  checkDiffCheck,
  decodedAsCheck,
  exactString,
  getters,
  ifFtsCheck,
  loweredLogCheck,
  ipCheck,
  listCheck,
  maxsizeCheck,
  patternCheck,
  timeCheck,
  weekdayCheck,
  type Getter,
  type ListLookup,
  type StringTest,
} from './rule-checks.ts';
import { compiledRuleCheck } from './compiled-rules.ts';
import { cheapFirst, createRule } from './create-rule.ts';
import {
  CONCATENATED,
  DIFFERENT,
  LIST_FIELDS,
  LOOKUPS,
  OPTION_NAMES,
  OTHER_ELEMENTS,
  PATTERN_ELEMENTS,
  RULE_ATTRIBUTES,
  SAME,
  STAGE_ORDER,
  STATIC_NAMES,
} from './rule-elements.ts';
import { CATEGORIES, type CompiledRule, type ContextField, type Correlation, type RuleCheck, type RuleGate, type RuleOptions, type RuleSemantics } from './rule-types.ts';
import { parseTimeWindow, parseWeekdays } from './time-window.ts';
import { nameMitre } from './mitre-attack.ts';

/** What compiling one rule needs from its surroundings. */
export interface RuleContext {
  file: string;
  /** The `name` of the enclosing `<group>`. */
  groupName: string;
  lists: ReadonlyMap<string, CdbList>;
  geoip: boolean;
  /** Whose correlation semantics the rule follows (see LoadRulesOptions.semantics). */
  semantics: RuleSemantics;
  substitute(text: string): string;
  error(line: number, message: string): void;
  warn(line: number, message: string): void;
}

/** A rule compiled on its own, before it is placed in the tree. */
export interface RuleDraft {
  rule: CompiledRule;
  overwrite: boolean;
  /** `if_matched_group` pattern: a history list is created for it when the rule is placed. */
  ifMatchedGroup?: string;
  accuracy0: boolean;
}

interface Concat {
  text: string;
  attributes: Record<string, string>;
  line: number;
}

function yes(value: string | undefined): boolean {
  return value !== undefined && value.toLowerCase() === 'yes';
}

/** Compiles one `<rule>` element. Returns undefined (with an error or warning reported) when it cannot be used. */
export function compileRule(el: XmlElement, ctx: RuleContext): RuleDraft | undefined {
  const line = el.line;
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(el.attributes)) a[k] = ctx.substitute(v);
  for (const name of Object.keys(a)) if (!RULE_ATTRIBUTES.has(name)) ctx.error(line, `rule ${a['id'] ?? '?'}: unknown attribute '${name}'`);
  const id = (a['id'] ?? '').trim();
  if (!/^\d{1,6}$/.test(id)) {
    ctx.error(line, `rule without a valid id (id="${id}"): ids are 1 to 6 digits`);
    return undefined;
  }
  const levelText = (a['level'] ?? '').trim();
  const level = Number(levelText);
  if (!/^\d+$/.test(levelText) || level > 16) {
    ctx.error(line, `rule ${id}: level must be 0-16 (level="${levelText}")`);
    return undefined;
  }
  const err = (l: number, m: string) => ctx.error(l, `rule ${id}: ${m}`);
  const warn = (l: number, m: string) => ctx.warn(l, `rule ${id}: ${m}`);
  const intAttr = (name: string, min: number, max: number): number | undefined => {
    const v = a[name];
    if (v === undefined) return undefined;
    const n = Number(v.trim());
    if (!/^\d+$/.test(v.trim()) || n < min || n > max) {
      err(line, `${name}="${v}" must be a number from ${min} to ${max}`);
      return undefined;
    }
    return n;
  };
  // OSSEC's own ruleset has frequency="0" and frequency="1", which OSSEC accepts (it counts frequency + 1 earlier
  // events): a warning under Wazuh's semantics, where such a rule fires as frequency="2" would.
  const frequency = intAttr('frequency', 0, 9999);
  if (frequency !== undefined && frequency < 2 && ctx.semantics === 'wazuh') {
    warn(line, `frequency="${frequency}" is below 2: under Wazuh's semantics it fires on the second matching event (OSSEC's fire on event ${frequency + 2})`);
  }
  const timeframe = intAttr('timeframe', 1, 99999);
  const ignoreSeconds = intAttr('ignore', 1, 999999) ?? 0;
  const maxsize = intAttr('maxsize', 1, 999999);

  // Gather the elements: repeated ones concatenated (negate/type of the last occurrence apply).
  const concat = new Map<string, Concat>();
  const singles: XmlElement[] = [];
  for (const child of el.children) {
    const name = child.name;
    const text = ctx.substitute(child.text);
    if (CONCATENATED.has(name)) {
      const prev = concat.get(name);
      const joined = name === 'group' ? text.replace(/\n/g, '') : text;
      concat.set(name, { text: (prev?.text ?? '') + joined, attributes: child.attributes, line: prev?.line ?? child.line });
    } else if (OTHER_ELEMENTS.has(name) || name in SAME || name in DIFFERENT) singles.push({ ...child, text });
    else err(child.line, `unknown element <${name}>`);
  }

  const checks: Array<[number, RuleCheck]> = [];
  /** The pure conditions on the owner decoder and the program name (see RuleGate): they index the parent's children. */
  let gateDecoder: string | undefined;
  let gateProgram: ((programName: string) => boolean) | undefined;
  /** Checks that are not the cheapest kind (OS_Regex, PCRE2): tried after the cheap ones where order cannot matter. */
  const costly = new Set<RuleCheck>();
  const addPattern = (name: string, c: Concat, get: Getter, dialectDefault: PatternDialect | 'string', order: number) => {
    const typeAttr = c.attributes['type'];
    const dialect = parseDialect(typeAttr) ?? dialectDefault;
    if (typeAttr !== undefined && parseDialect(typeAttr) === undefined) warn(c.line, `<${name}> type="${typeAttr}" is unknown; using ${dialectDefault}`);
    if (dialect === 'osmatch') {
      const m = compileLoweredOsMatch(c.text);
      const negate = yes(c.attributes['negate']);
      if (get === getters.programName) gateProgram = negate ? (v) => !m.test(v) : (v) => m.test(v);
      checks.push([order, get === getters.log ? loweredLogCheck(m, negate) : patternCheck(get, m, negate)]);
      return;
    }
    let pattern: StringTest;
    try {
      pattern = dialect === 'string' ? exactString(c.text) : compileMatcher(dialect, c.text);
    } catch (cause) {
      err(c.line, `<${name}>: ${(cause as Error).message}`);
      return;
    }
    const negate = yes(c.attributes['negate']);
    const check = patternCheck(get, pattern, negate);
    if (get === getters.programName) gateProgram = negate ? (v) => !pattern.test(v) : (v) => pattern.test(v);
    if (dialect === 'osregex' || dialect === 'pcre2') costly.add(check);
    checks.push([order, check]);
  };

  for (const [name, spec] of Object.entries(PATTERN_ELEMENTS)) {
    const c = concat.get(name);
    if (!c) continue;
    if ((name === 'srcgeoip' || name === 'dstgeoip') && !ctx.geoip) warn(c.line, `<${name}> needs a GeoIP database (none configured): it never matches`);
    addPattern(name, c, spec.get, spec.dialect, STAGE_ORDER[name] as number);
  }

  const options: RuleOptions = { noFullLog: false, noCounter: false, noLog: false, logAlert: false, alertByEmail: false, noEmailAlert: false, noAr: false };
  let category = 'syslog';
  let ifLevel: number | undefined;
  let ifMatchedSid: string | undefined;
  let checkDiff = false;
  let decodedAs: string | undefined;
  const same: ContextField[] = [];
  const different: ContextField[] = [];
  const sameFields: string[] = [];
  const differentFields: string[] = [];
  let global = false;
  const srcips: Concat[] = [];
  const dstips: Concat[] = [];
  const mitreIds: string[] = [];
  const mitrePairs: Array<[string, string]> = [];

  for (const s of singles) {
    const text = s.text.trim();
    const sameField = SAME[s.name];
    const differentField = DIFFERENT[s.name];
    if (sameField) {
      if (!same.includes(sameField)) same.push(sameField);
      continue;
    }
    if (differentField) {
      if (!different.includes(differentField)) different.push(differentField);
      continue;
    }
    switch (s.name) {
      case 'decoded_as':
        checks.push([STAGE_ORDER['decoded_as'] as number, decodedAsCheck(text)]);
        decodedAs = text;
        gateDecoder = text;
        break;
      case 'category':
        if (!(CATEGORIES as readonly string[]).includes(text)) err(s.line, `<category>${text}</category> is not one of ${CATEGORIES.join(', ')}`);
        else category = text;
        break;
      case 'field': {
        const fname = (s.attributes['name'] ?? '').trim();
        if (fname === '') {
          err(s.line, '<field> needs a name attribute');
          break;
        }
        if (STATIC_NAMES.has(fname)) {
          err(s.line, `<field name="${fname}">: '${fname}' is a static field; use its own element`);
          break;
        }
        addPattern(`field name="${fname}"`, { text: s.text, attributes: s.attributes, line: s.line }, getters.dynamic(fname), 'osregex', 5);
        break;
      }
      case 'srcip':
        srcips.push({ text, attributes: s.attributes, line: s.line });
        break;
      case 'dstip':
        dstips.push({ text, attributes: s.attributes, line: s.line });
        break;
      case 'time': {
        const w = parseTimeWindow(text);
        if (!w) err(s.line, `<time>${text}</time> is not a time range (HH[:MM][am|pm] - HH[:MM][am|pm])`);
        else checks.push([STAGE_ORDER['time'] as number, timeCheck(w)]);
        break;
      }
      case 'weekday': {
        const mask = parseWeekdays(text);
        if (mask === undefined) err(s.line, `<weekday>${text}</weekday> is not a list of weekdays`);
        else checks.push([STAGE_ORDER['weekday'] as number, weekdayCheck(mask)]);
        break;
      }
      case 'list': {
        const lookup = (s.attributes['lookup'] ?? 'match_key').trim() as ListLookup;
        if (!LOOKUPS.has(lookup)) {
          err(s.line, `<list lookup="${lookup}"> is unknown`);
          break;
        }
        const fieldName = (s.attributes['field'] ?? '').trim();
        if (fieldName === '') {
          err(s.line, '<list> needs a field attribute');
          break;
        }
        const name = listName(text);
        const list = ctx.lists.get(name);
        if (!list) {
          warn(s.line, `list '${text}' is not in any loaded ruleset's lists/: the rule is skipped`);
          return undefined;
        }
        let checkValue: StringTest | undefined;
        const cv = s.attributes['check_value'];
        if (cv !== undefined) checkValue = compileLoweredOsMatch(cv);
        checks.push([STAGE_ORDER['list'] as number, listCheck(LIST_FIELDS[fieldName] ?? getters.dynamic(fieldName), list, lookup, checkValue)]);
        break;
      }
      case 'if_level': {
        const n = Number(text);
        if (!/^\d+$/.test(text) || n > 16) err(s.line, `<if_level>${text}</if_level> must be a level 0-16`);
        else ifLevel = n;
        break;
      }
      case 'if_matched_sid':
        if (!/^\d{1,6}$/.test(text)) err(s.line, `<if_matched_sid>${text}</if_matched_sid> must be one rule id`);
        else ifMatchedSid = text;
        break;
      case 'options':
        for (const o of text.split(',').map((x) => x.trim()).filter(Boolean)) {
          const key = OPTION_NAMES[o];
          if (key) options[key] = true;
          else err(s.line, `<options>${o}</options> is unknown`);
        }
        break;
      case 'mitre':
        for (const m of s.children) {
          if (m.name === 'id') mitreIds.push(m.text.trim());
          else if (m.name === 'tacticID' || m.name === 'techniqueID') mitrePairs.push([m.name, m.text.trim()]);
          else err(m.line, `unknown element <${m.name}> in <mitre>`);
        }
        break;
      case 'check_diff':
        checkDiff = true;
        break;
      case 'if_fts':
        checks.push([STAGE_ORDER['if_fts'] as number, ifFtsCheck]);
        break;
      case 'same_field':
        if (text) sameFields.push(text);
        break;
      case 'different_field':
      case 'not_same_field':
        if (text) differentFields.push(text);
        break;
      case 'global_frequency':
        global = true;
        break;
      case 'same_agent':
      case 'not_same_agent':
        warn(s.line, `<${s.name}> is deprecated and does nothing`);
        break;
      case 'ignore':
      case 'check_if_ignored':
        // Wazuh keeps an ignore file that check_if_ignored never matches (its comparison keeps a newline): no effect.
        break;
      case 'compiled_rule': {
        const fn = compiledRuleCheck(text);
        if (!fn) err(s.line, `<compiled_rule>${text}</compiled_rule> is not a known compiled rule`);
        else checks.push([STAGE_ORDER['compiled_rule'] as number, fn]);
        break;
      }
    }
  }

  for (const [name, entries] of [['srcip', srcips], ['dstip', dstips]] as const) {
    if (entries.length === 0) continue;
    const { list, errors } = compileIpList(entries.map((e) => e.text));
    for (const e of errors) err((entries[0] as Concat).line, `<${name}>: ${e}`);
    const negate = yes((entries[entries.length - 1] as Concat).attributes['negate']);
    checks.push([STAGE_ORDER[name] as number, ipCheck(getters.field(name), list, negate)]);
  }
  if (maxsize !== undefined) checks.push([STAGE_ORDER['maxsize'] as number, maxsizeCheck(maxsize)]);
  const checkDiffFn = checkDiff ? checkDiffCheck(id) : undefined;
  if (checkDiffFn) checks.push([STAGE_ORDER['check_diff'] as number, checkDiffFn]);

  const description = concat.get('description');
  if (!description) warn(line, 'has no <description> (OSSEC and Wazuh load it with an empty one)');
  const ifSidText = concat.get('if_sid')?.text ?? '';
  if (ifSidText !== '' && !/^[0-9, \n\t]*$/.test(ifSidText)) {
    warn(line, `<if_sid>${ifSidText}</if_sid> may hold only rule ids separated by commas or spaces: the rule is skipped`);
    return undefined;
  }
  const ifSid = ifSidText.split(/[,\s]+/).filter(Boolean);
  const ifGroup = concat.get('if_group')?.text.trim() ?? '';
  const ifMatchedGroup = concat.get('if_matched_group')?.text.trim() || undefined;
  const ifMatchedRegexText = concat.get('if_matched_regex');

  let correlation: Correlation | undefined;
  const hasContext = ifMatchedSid !== undefined || ifMatchedGroup !== undefined || ifMatchedRegexText !== undefined;
  if (hasContext) {
    let regex: StringTest | undefined;
    if (ifMatchedRegexText) {
      try {
        regex = compileMatcher('osregex', ifMatchedRegexText.text);
      } catch (cause) {
        err(ifMatchedRegexText.line, `<if_matched_regex>: ${(cause as Error).message}`);
      }
    }
    correlation = {
      sid: ifMatchedSid,
      groupList: undefined,
      regex: ifMatchedSid === undefined && ifMatchedGroup === undefined ? regex : undefined,
      needed: ctx.semantics === 'ossec' ? (frequency ?? 0) + 1 : Math.max(1, (frequency ?? 2) - 1),
      timeframe: timeframe ?? 360,
      same,
      different,
      sameFields,
      differentFields,
      global,
      ...(ctx.semantics === 'ossec' ? { ossec: true } : {}),
    };
  } else if (!checkDiff && (frequency !== undefined || same.length + different.length + sameFields.length + differentFields.length > 0 || global)) {
    err(line, 'frequency, same_*, different_* and global_frequency need if_matched_sid, if_matched_group or if_matched_regex');
  }
  if (global) warn(line, 'global_frequency: correlated per agent by the partitioned engine (see docs/architecture.md)');

  const mitre = mitreOf(mitreIds, mitrePairs, (m) => warn(line, m));
  const groupString = ctx.groupName + (concat.get('group')?.text ?? '');
  const { groups, compliance } = splitGroups(groupString);
  checks.sort((x, y) => x[0] - y[0]);
  const ordered = cheapFirst(checks.map((c) => c[1]), costly, new Set<RuleCheck>([ifFtsCheck, ...(checkDiffFn ? [checkDiffFn] : [])]));
  const descriptionText = (description?.text ?? '').replace('\n', ' ');
  const rule = createRule({
    id,
    level,
    description: descriptionText,
    groupString,
    groups,
    compliance,
    category,
    noalert: (a['noalert'] ?? '0').trim() === '1',
    ignoreSeconds,
    frequency: frequency !== undefined || correlation ? (frequency ?? 2) : undefined,
    checks: ordered,
    decodedAs,
    gate: gateOf(gateDecoder, gateProgram),
    correlation,
    options,
    mitre,
    info: concat.get('info')?.text,
    cve: concat.get('cve')?.text,
    parents: {
      ifSid: ifSid.length === 0 && ifGroup === '' && ifMatchedSid !== undefined ? [ifMatchedSid] : ifSid,
      ifGroup: ifSid.length === 0 && ifGroup === '' && ifMatchedGroup !== undefined ? ifMatchedGroup : ifGroup,
      ifLevel,
      ifMatchedSid,
      ifMatchedGroup,
    },
    file: ctx.file,
    line,
  });
  return {
    rule,
    overwrite: yes(a['overwrite']),
    ...(ifMatchedGroup !== undefined ? { ifMatchedGroup } : {}),
    accuracy0: (a['accuracy'] ?? '').trim() === '0',
  };
}

/**
 * The rule's gate: `<decoded_as>` and `<program_name>` depend only on the owner decoder and the pre-decoded program
 * name, and fail exactly as these functions say (an event without a program name fails `<program_name>`, negated
 * or not). They are pure and Wazuh runs them before any stateful check, so a child whose gate fails can be left out
 * of the parent's walk without changing anything.
 */
function gateOf(decoder: string | undefined, program: ((programName: string) => boolean) | undefined): RuleGate | undefined {
  if (decoder === undefined && program === undefined) return undefined;
  return (decoderName, programName) =>
    (decoder === undefined || decoderName === decoder) && (program === undefined || (programName !== undefined && program(programName)));
}

function mitreOf(ids: string[], pairs: Array<[string, string]>, warn: (message: string) => void): CompiledRule['mitre'] {
  const techniques: string[] = [];
  const tactics: string[] = [];
  if (pairs.length > 0) {
    for (const [kind, value] of pairs) (kind === 'techniqueID' ? techniques : tactics).push(value);
  } else for (const v of ids) if (v) techniques.push(v);
  if (techniques.length === 0) return undefined;
  const named = nameMitre(techniques, tactics);
  for (const p of named.problems) warn(p);
  return { id: named.id, tactic: named.tactic, technique: named.technique };
}
