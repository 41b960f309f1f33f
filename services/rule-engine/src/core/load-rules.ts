import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { compileOsMatch } from './os-match.ts';
import type { CompiledRule, RuleLoadProblem, RuleTree } from './rule-types.ts';

export interface RuleSource {
  file: string;
  text: string;
}

export interface RuleLoadResult {
  tree: RuleTree;
  errors: RuleLoadProblem[];
  warnings: RuleLoadProblem[];
}

/** Wazuh XML is not strict XML: no single root, bare `&`. Make it parseable without moving any line. */
export function preprocessWazuhXml(text: string): string {
  const escaped = text.replace(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/g, '&amp;').replace(/\\</g, '\\&lt;');
  return `<vigil-root>${escaped}</vigil-root>`;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ['group', 'rule', 'var', 'if_sid', 'match', 'regex', 'options', 'id', 'program_name', 'decoded_as'].includes(name),
});

type XmlNode = Record<string, unknown>;

function text(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (typeof node === 'object' && '#text' in (node as XmlNode)) return String((node as XmlNode)['#text']);
  return '';
}

const KNOWN = new Set(['@_id', '@_level', '@_maxsize', '@_frequency', '@_timeframe', '@_ignore', '@_overwrite', '@_noalert',
  'if_sid', 'match', 'regex', 'description', 'group', 'program_name', 'decoded_as', 'options', 'mitre', 'info']);

/** Loads rule files into a rule tree. Every problem is reported with its file and line; loading goes on. */
export function loadRules(sources: readonly RuleSource[]): RuleLoadResult {
  const errors: RuleLoadProblem[] = [];
  const warnings: RuleLoadProblem[] = [];
  const all: CompiledRule[] = [];
  for (const source of sources) {
    const xml = preprocessWazuhXml(source.text);
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      errors.push({ file: source.file, line: valid.err.line, message: `invalid XML: ${valid.err.msg}` });
      continue;
    }
    const vars = new Map<string, string>();
    const ruleOffsets: number[] = [];
    for (const m of source.text.matchAll(/<rule\b/g)) ruleOffsets.push(m.index ?? 0);
    let ruleIndex = 0;
    const doc = parser.parse(xml) as XmlNode;
    const root = (doc['vigil-root'] ?? {}) as XmlNode;
    for (const v of (root['var'] as XmlNode[] | undefined) ?? []) vars.set(String(v['@_name']), text(v));
    const substitute = (s: string) => s.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, name: string) => vars.get(name) ?? m);
    for (const group of (root['group'] as XmlNode[] | undefined) ?? []) {
      const groupNames = String(group['@_name'] ?? '').split(',').filter(Boolean);
      for (const r of (group['rule'] as XmlNode[] | undefined) ?? []) {
        const line = lineOf(source.text, ruleOffsets[ruleIndex++] ?? 0);
        const where = { file: source.file, line };
        const id = String(r['@_id'] ?? '');
        const level = Number(r['@_level']);
        if (!/^\d+$/.test(id)) {
          errors.push({ ...where, message: `rule without a numeric id (id="${id}")` });
          continue;
        }
        if (!Number.isInteger(level) || level < 0 || level > 16) {
          errors.push({ ...where, message: `rule ${id}: level must be 0-16 (level="${String(r['@_level'])}")` });
          continue;
        }
        for (const key of Object.keys(r)) if (!KNOWN.has(key)) warnings.push({ ...where, message: `rule ${id}: <${key.replace(/^@_/, '')}> is not supported yet and is ignored` });
        const matches = ((r['match'] as unknown[]) ?? []).map((m) => substitute(text(m)));
        const regexes = ((r['regex'] as unknown[]) ?? []).map((m) => substitute(text(m)));
        const programs = ((r['program_name'] as unknown[]) ?? []).map((m) => substitute(text(m)));
        const extraGroups = ((r['group'] as unknown[]) ?? []).flatMap((g) => text(g).split(',')).filter(Boolean);
        let regex: RegExp | undefined;
        if (regexes.length > 0) {
          try {
            regex = new RegExp(regexes.join(''));
          } catch (cause) {
            errors.push({ ...where, message: `rule ${id}: invalid regex: ${(cause as Error).message}` });
            continue;
          }
        }
        const mitre = r['mitre'] as XmlNode | undefined;
        const mitreIds = mitre ? ((Array.isArray(mitre['id']) ? mitre['id'] : [mitre['id']]) as unknown[]).map(text).filter(Boolean) : [];
        const rule: CompiledRule = {
          id,
          level,
          description: substitute(text(r['description'])),
          groups: [...groupNames, ...extraGroups],
          ifSids: ((r['if_sid'] as unknown[]) ?? []).flatMap((s) => text(s).split(/[,\s]+/)).filter(Boolean),
          options: ((r['options'] as unknown[]) ?? []).flatMap((s) => text(s).split(',')).map((s) => s.trim()).filter(Boolean),
          mitreIds,
          file: source.file,
          line,
          children: [],
        };
        if (matches.length > 0) {
          const m = compileOsMatch(matches.join(''));
          rule.match = m;
        }
        if (regex) rule.regex = regex;
        if (programs.length > 0) rule.programName = compileOsMatch(programs.join('|'));
        const decodedAs = ((r['decoded_as'] as unknown[]) ?? []).map(text)[0];
        if (decodedAs) rule.decodedAs = decodedAs;
        all.push(rule);
      }
    }
  }
  const byId = new Map<string, CompiledRule>();
  for (const rule of all) {
    if (byId.has(rule.id)) {
      const first = byId.get(rule.id) as CompiledRule;
      errors.push({ file: rule.file, line: rule.line, message: `duplicate rule id ${rule.id} (first defined at ${first.file}:${first.line})` });
      continue;
    }
    byId.set(rule.id, rule);
  }
  const roots: CompiledRule[] = [];
  for (const rule of byId.values()) {
    if (rule.ifSids.length === 0) {
      roots.push(rule);
      continue;
    }
    for (const parentId of rule.ifSids) {
      const parent = byId.get(parentId);
      if (!parent) errors.push({ file: rule.file, line: rule.line, message: `rule ${rule.id}: parent rule ${parentId} (if_sid) does not exist` });
      else parent.children.push(rule);
    }
  }
  return { tree: { roots, byId }, errors, warnings };
}
