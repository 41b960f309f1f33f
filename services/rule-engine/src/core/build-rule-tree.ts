import { OsMatch, WordMatch } from '@vigil/wazuh-format';
import type { RuleDraft } from './compile-rule.ts';
import { createRule } from './create-rule.ts';
import type { CompiledRule, CompiledRuleset } from './rule-types.ts';

/** Reports a problem at a rule's place. */
export type Report = (rule: CompiledRule, message: string) => void;

/**
 * Builds the rule tree incrementally, in load order, as Wazuh does: a rule attaches only to rules loaded before it.
 *   id < 10: a category template (a root);
 *   if_sid: child of each listed rule; if_level N: child of every rule of level ≥ N (level 0 counting as 99);
 *   if_group G: child of every rule whose group string matches G; otherwise: child of its category's template.
 * Children are kept sorted by level, descending, level 0 first; equal levels keep load order.
 */
export class RuleTreeBuilder {
  private readonly roots: CompiledRule[] = [];
  private readonly byId = new Map<string, CompiledRule>();
  private readonly all: CompiledRule[] = [];
  private groupListCount = 0;
  private readonly groupListKeys: string[] = [];
  private maxTimeframe = 0;
  private usesGlobalHistory = false;
  private readonly sortKeys = new WeakMap<CompiledRule, number>();

  constructor(private readonly error: Report, private readonly warn: Report) {}

  add(draft: RuleDraft): void {
    const rule = draft.rule;
    const existing = this.byId.get(rule.id);
    if (existing) {
      if (!draft.overwrite) {
        this.warn(rule, `duplicate rule id ${rule.id} (first defined at ${existing.file}:${existing.line}): this one is ignored`);
        return;
      }
      this.overwrite(existing, rule);
      return;
    }
    if (draft.overwrite) this.warn(rule, `overwrite="yes" but no rule ${rule.id} exists yet: loaded as a new rule`);
    this.sortKeys.set(rule, draft.accuracy0 ? rule.level : (rule.level === 0 ? 99 : rule.level) * 100);
    if (Number(rule.id) < 10) {
      this.roots.push(rule);
      this.register(rule, draft);
      return;
    }
    const p = rule.parents;
    let attached = 0;
    if (p.ifSid.length > 0) {
      const missing: string[] = [];
      for (const sid of p.ifSid) {
        const parent = this.byId.get(sid);
        if (!parent) {
          missing.push(sid);
          continue;
        }
        if (attached === 0) rule.category = parent.category;
        this.attach(parent, rule);
        attached++;
      }
      const what = (ids: string[]) => `parent rule${ids.length > 1 ? 's' : ''} ${ids.join(', ')} (if_sid) ${ids.length > 1 ? 'do' : 'does'} not exist (or ${ids.length > 1 ? 'are' : 'is'} defined later)`;
      if (attached === 0) {
        // No parent at all: the rule could never match. An error naming both ids.
        this.error(rule, `rule ${rule.id}: ${what(missing)}`);
        return;
      }
      if (missing.length > 0) this.warn(rule, `rule ${rule.id}: ${what(missing)}; attached to the others`);
    } else if (p.ifLevel !== undefined) {
      const n = p.ifLevel;
      for (const r of this.all) if ((r.level === 0 ? 99 : r.level) >= n) this.attach(r, rule), attached++;
    } else if (p.ifGroup !== '') {
      const wm = WordMatch.compile(p.ifGroup);
      for (const r of this.all) if (wm.test(r.groupString)) this.attach(r, rule), attached++;
      if (attached === 0) this.warn(rule, `rule ${rule.id}: no rule loaded before it has a group matching '${p.ifGroup}' (if_group): it can never match`);
    } else {
      let template = this.roots.find((t) => t.category === rule.category);
      if (!template) template = this.syntheticTemplate(rule.category);
      this.attach(template, rule);
    }
    this.register(rule, draft);
  }

  private register(rule: CompiledRule, draft: RuleDraft): void {
    this.byId.set(rule.id, rule);
    this.all.push(rule);
    const c = rule.correlation;
    if (!c) return;
    this.maxTimeframe = Math.max(this.maxTimeframe, c.timeframe);
    if (c.sid !== undefined) {
      const target = this.byId.get(c.sid);
      if (!target) this.error(rule, `rule ${rule.id}: rule ${c.sid} of if_matched_sid does not exist (or is defined later)`);
      else target.keepsSidHistory = true;
    } else if (draft.ifMatchedGroup !== undefined) {
      const idx = this.groupListCount++;
      this.groupListKeys.push(draft.ifMatchedGroup);
      c.groupList = idx;
      const om = OsMatch.compile(draft.ifMatchedGroup);
      for (const r of this.all) if (r !== rule && om.test(r.groupString)) r.groupLists.push(idx);
    } else this.usesGlobalHistory = true;
  }

  private syntheticTemplate(category: string): CompiledRule {
    const t = createRule({
      id: `category:${category}`, level: 0, description: `${category} rules`, groupString: '', groups: [], compliance: [], category,
      noalert: true, ignoreSeconds: 0, frequency: undefined, checks: [], decodedAs: undefined, correlation: undefined,
      options: { noFullLog: false, noCounter: false, noLog: false, logAlert: false, alertByEmail: false, noEmailAlert: false, noAr: false },
      mitre: undefined, info: undefined, cve: undefined, parents: { ifSid: [], ifGroup: '' }, file: '', line: 0, synthetic: true,
    });
    this.roots.push(t);
    this.sortKeys.set(t, 9900);
    return t;
  }

  private attach(parent: CompiledRule, child: CompiledRule): void {
    if (parent === child || parent.children.includes(child)) return;
    const key = this.sortKeys.get(child) ?? 0;
    const kids = parent.children;
    let at = kids.length;
    for (let i = 0; i < kids.length; i++) {
      if ((this.sortKeys.get(kids[i] as CompiledRule) ?? 0) < key) {
        at = i;
        break;
      }
    }
    kids.splice(at, 0, child);
  }

  /** `overwrite="yes"`: the node keeps its place, children and parents; everything else is replaced. */
  private overwrite(existing: CompiledRule, rule: CompiledRule): void {
    const ep = existing.parents;
    const np = rule.parents;
    if (ep.ifSid.join(',') !== np.ifSid.join(',') || ep.ifGroup !== np.ifGroup || ep.ifLevel !== np.ifLevel
      || ep.ifMatchedSid !== np.ifMatchedSid || ep.ifMatchedGroup !== np.ifMatchedGroup) {
      this.warn(rule, `rule ${rule.id}: overwrite cannot change if_sid, if_group, if_level, if_matched_sid or if_matched_group; the original ones are kept`);
    }
    const keep = {
      parents: existing.parents, children: existing.children, keepsSidHistory: existing.keepsSidHistory,
      groupLists: existing.groupLists, category: existing.category,
    };
    const oldCorrelation = existing.correlation;
    Object.assign(existing, rule, keep);
    // The correlation search keeps its list (if_matched_* cannot change); frequency, timeframe and filters are new.
    if (existing.correlation && oldCorrelation) {
      existing.correlation = { ...existing.correlation, sid: oldCorrelation.sid, groupList: oldCorrelation.groupList, regex: oldCorrelation.regex };
      this.maxTimeframe = Math.max(this.maxTimeframe, existing.correlation.timeframe);
    } else if (!oldCorrelation) existing.correlation = undefined;
  }

  build(): CompiledRuleset {
    for (const rule of [...this.roots, ...this.all]) indexChildren(rule);
    return {
      roots: this.roots,
      byId: this.byId,
      groupListCount: this.groupListCount,
      maxTimeframe: Math.max(this.maxTimeframe, 360),
      usesGlobalHistory: this.usesGlobalHistory,
      groupListKeys: this.groupListKeys,
      definitions: new Map(),
    };
  }
}

/** Rules with this many children, some of them gated, memoise which children an event's decoder and program reach. */
const INDEXED_CHILDREN = 4;

function indexChildren(rule: CompiledRule): void {
  const kids = rule.children;
  rule.candidates = kids.length >= INDEXED_CHILDREN && kids.some((k) => k.gate !== undefined) ? new Map() : undefined;
}
