import { FileVariables, readWazuhXml, type XmlElement } from '@vigil/wazuh-format';
import { indexLists, type CdbList, type ListSource } from './cdb-lists.ts';
import { compileRule, type RuleContext } from './compile-rule.ts';
import { RuleTreeBuilder } from './build-rule-tree.ts';
import type { CompiledRuleset, RuleLoadProblem, RuleSemantics } from './rule-types.ts';

export interface RuleSource {
  file: string;
  text: string;
}

export interface LoadRulesOptions {
  /** CDB lists in source form, from every loaded ruleset's lists/ folder. */
  lists?: readonly ListSource[];
  /** Whether a GeoIP database is configured (otherwise srcgeoip/dstgeoip conditions are a warning). */
  geoip?: boolean;
  /**
   * The order files load in: by basename (default, as Wazuh's `rule_dir` loads them), or as given (an `ossec.conf`'s
   * include order, which OSSEC's ruleset needs: later files refer to rules of earlier ones).
   */
  order?: 'basename' | 'given';
  /** Correlation semantics: Wazuh's (default) or OSSEC's (frequency counting, the stop mark; see docs). */
  semantics?: RuleSemantics;
}

export interface RuleLoadResult {
  ruleset: CompiledRuleset;
  /** The same ruleset (the name older callers use). */
  tree: CompiledRuleset;
  errors: RuleLoadProblem[];
  warnings: RuleLoadProblem[];
  /** How many rule elements were read. */
  ruleCount: number;
}

/** A character placed between `\\\\` and `<` so the XML reader sees a tag; removed from every text read. */
const TAG_GUARD = '\uE00F';

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}

/**
 * Loads rule files (Wazuh's XML dialect) into a compiled ruleset: reader → compiler → tree. Files load in basename
 * order (or as given, `order: 'given'`), rules in document order. Every problem is collected with its file and line; a bad rule is reported and
 * left out, never a crash. Pure: the caller reads the files.
 */
export function loadRules(sources: readonly RuleSource[], options: LoadRulesOptions = {}): RuleLoadResult {
  const errors: RuleLoadProblem[] = [];
  const warnings: RuleLoadProblem[] = [];
  const lists: ReadonlyMap<string, CdbList> = indexLists(options.lists ?? []);
  const ordered = options.order === 'given' ? sources : [...sources].sort((a, b) => (basename(a.file) < basename(b.file) ? -1 : basename(a.file) > basename(b.file) ? 1 : 0));
  const builder = new RuleTreeBuilder(
    (rule, message) => errors.push({ file: rule.file, line: rule.line, message }),
    (rule, message) => warnings.push({ file: rule.file, line: rule.line, message }),
  );
  let ruleCount = 0;
  const definitions = new Map<string, string>();
  for (const source of ordered) {
    // `\\<` (an escaped backslash before a closing tag, as in `E:\\</field>`) would read as a literal `<` in
    // Wazuh's reader and break the file; read it as the author meant: a backslash, then the tag.
    const doubled = source.text.includes('\\\\<');
    const read = readWazuhXml(doubled ? source.text.replaceAll('\\\\<', `\\\\${TAG_GUARD}<`) : source.text);
    if (doubled) warnings.push({ file: source.file, line: lineOf(source.text, source.text.indexOf('\\\\<')), message: "'\\\\<' read as an escaped backslash before a tag (Wazuh's own reader rejects it)" });
    if (read.error) {
      errors.push({ file: source.file, line: read.error.line, message: read.error.message });
      continue;
    }
    const vars = new FileVariables();
    const ctxFor = (groupName: string): RuleContext => ({
      file: source.file,
      groupName,
      lists,
      geoip: options.geoip ?? false,
      semantics: options.semantics ?? 'wazuh',
      substitute: (text) => {
        const r = vars.substitute(text);
        return r.text.includes(TAG_GUARD) ? r.text.replaceAll(TAG_GUARD, '') : r.text;
      },
      error: (line, message) => errors.push({ file: source.file, line, message }),
      warn: (line, message) => warnings.push({ file: source.file, line, message }),
    });
    const compileAll = (rules: XmlElement[], groupName: string) => {
      const ctx = ctxFor(groupName);
      for (const el of rules) {
        ruleCount++;
        const draft = compileRule(el, ctx);
        if (!draft) continue;
        builder.add(draft);
        const id = draft.rule.id;
        const definition = `${groupName}\u0000${definitionOf(el, ctx.substitute)}`;
        definitions.set(id, draft.overwrite && definitions.has(id) ? `${definitions.get(id)}\u0001${definition}` : (definitions.get(id) ?? definition));
      }
    };
    for (const el of read.elements) {
      if (el.name === 'var') {
        const name = el.attributes['name'];
        if (!name) errors.push({ file: source.file, line: el.line, message: '<var> needs a name attribute' });
        else vars.define(name, el.text);
      } else if (el.name === 'group') {
        const groupName = vars.substitute(el.attributes['name'] ?? '').text;
        const rules: XmlElement[] = [];
        for (const child of el.children) {
          if (child.name === 'rule') rules.push(child);
          else if (child.name === 'var') {
            const name = child.attributes['name'];
            if (name) vars.define(name, child.text);
          } else errors.push({ file: source.file, line: child.line, message: `unknown element <${child.name}> in <group> (expected <rule>)` });
        }
        compileAll(rules, groupName);
      } else if (el.name === 'rule') compileAll([el], '');
      else errors.push({ file: source.file, line: el.line, message: `unknown top-level element <${el.name}> (expected <group> or <var>)` });
    }
  }
  const ruleset = builder.build();
  for (const [id, d] of definitions) if (ruleset.byId.has(id)) ruleset.definitions.set(id, d);
  if (options.semantics === 'ossec') ruleset.semantics = 'ossec';
  return { ruleset, tree: ruleset, errors, warnings, ruleCount };
}

/** A rule element as text without its line numbers, variables substituted: what "the same definition" compares. */
function definitionOf(el: XmlElement, substitute: (text: string) => string): string {
  const attrs = Object.keys(el.attributes).sort().map((k) => `${k}=${substitute(el.attributes[k] as string)}`).join(' ');
  return `<${el.name} ${attrs}>${substitute(el.text)}${el.children.map((c) => definitionOf(c, substitute)).join('')}</${el.name}>`;
}

/** Formats a problem as `file:line: message`. */
export function formatRuleProblem(p: RuleLoadProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}
