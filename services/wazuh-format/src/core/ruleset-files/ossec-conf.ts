import { OsRegex } from '../patterns/os-regex.ts';
import { readWazuhXml, type XmlElement } from '../ruleset-xml/read-wazuh-xml.ts';

/**
 * The `<rules>` (OSSEC) or `<ruleset>` (Wazuh) blocks of an `ossec.conf`: which decoder files, rule files and CDB
 * lists a manager loads, in the order its configuration lists them. OSSEC loads rule files only in this order
 * (later files refer to rules of earlier ones), so the plan keeps it. Pure: the adapter reads the files.
 */

/** One entry of the block, in document order. Paths are as written (the adapter resolves them). */
export type OssecRulesetItem =
  | { kind: 'rule-file'; path: string; line: number }
  | { kind: 'rule-dir'; path: string; pattern: FilePattern; line: number }
  | { kind: 'decoder-file'; path: string; line: number }
  | { kind: 'decoder-dir'; path: string; pattern: FilePattern; line: number }
  | { kind: 'list'; path: string; line: number };

/** Which file names of a `<rule_dir>` / `<decoder_dir>` are read (its `pattern` attribute, an OS_Regex). */
export interface FilePattern {
  readonly source: string;
  test(fileName: string): boolean;
}

export interface OssecRulesetPlan {
  items: OssecRulesetItem[];
  /** `<rule_exclude>`: file names (or paths as written) never loaded as rule files. */
  ruleExcludes: string[];
  /** `<decoder_exclude>`: file names (or paths) never loaded as decoder files. */
  decoderExcludes: string[];
}

export interface OssecConfProblem {
  line: number;
  message: string;
}

/** Files of a folder without a `pattern`: those ending in `.xml`. */
const XML_FILES: FilePattern = { source: '.xml$', test: (name) => name.endsWith('.xml') };

const RULE_FILE = new Set(['include', 'rule_include', 'rule']);
const DECODER_FILE = new Set(['decoder', 'decoder_include']);

function patternOf(el: XmlElement, problems: OssecConfProblem[]): FilePattern {
  const source = el.attributes['pattern'];
  if (source === undefined) return XML_FILES;
  try {
    const re = OsRegex.compile(source);
    return { source, test: (name) => re.test(name) };
  } catch (cause) {
    problems.push({ line: el.line, message: `<${el.name} pattern="${source}">: ${(cause as Error).message}` });
    return XML_FILES;
  }
}

function readBlock(block: XmlElement, plan: OssecRulesetPlan, problems: OssecConfProblem[]): void {
  for (const el of block.children) {
    const path = el.text.trim();
    if (path === '') {
      problems.push({ line: el.line, message: `<${el.name}> in <${block.name}> is empty` });
      continue;
    }
    if (RULE_FILE.has(el.name)) plan.items.push({ kind: 'rule-file', path, line: el.line });
    else if (DECODER_FILE.has(el.name)) plan.items.push({ kind: 'decoder-file', path, line: el.line });
    else if (el.name === 'rule_dir') plan.items.push({ kind: 'rule-dir', path, pattern: patternOf(el, problems), line: el.line });
    else if (el.name === 'decoder_dir') plan.items.push({ kind: 'decoder-dir', path, pattern: patternOf(el, problems), line: el.line });
    else if (el.name === 'list') plan.items.push({ kind: 'list', path, line: el.line });
    else if (el.name === 'rule_exclude') plan.ruleExcludes.push(path);
    else if (el.name === 'decoder_exclude') plan.decoderExcludes.push(path);
    else problems.push({ line: el.line, message: `unknown element <${el.name}> in <${block.name}>` });
  }
}

/**
 * Reads the ruleset blocks of an `ossec.conf` (or of a bare `<rules>` block such as OSSEC's `rules.template`): every
 * `<rules>` / `<ruleset>` inside `<ossec_config>` elements or at the top, in document order. Other sections of the
 * configuration are not read. A file without any such block is a problem.
 */
export function readOssecConf(text: string): { plan: OssecRulesetPlan; problems: OssecConfProblem[] } {
  const plan: OssecRulesetPlan = { items: [], ruleExcludes: [], decoderExcludes: [] };
  const problems: OssecConfProblem[] = [];
  const read = readWazuhXml(text);
  if (read.error) return { plan, problems: [read.error] };
  let blocks = 0;
  const visit = (elements: readonly XmlElement[]) => {
    for (const el of elements) {
      if (el.name === 'rules' || el.name === 'ruleset') {
        blocks++;
        readBlock(el, plan, problems);
      } else if (el.name === 'ossec_config') visit(el.children);
    }
  };
  visit(read.elements);
  if (blocks === 0) problems.push({ line: 1, message: 'no <rules> or <ruleset> block' });
  return { plan, problems };
}

/** Whether a file is excluded: an exclude names it by file name, or by the path as written in the configuration. */
export function isExcluded(excludes: readonly string[], fileName: string, writtenPath: string): boolean {
  for (const x of excludes) if (x === fileName || x === writtenPath) return true;
  return false;
}

/** The name rules use for a CDB list of the configuration (`etc/lists/a/b(.cdb)` → `a/b`), as the rule engine resolves it. */
export function confListName(path: string): string {
  return path.trim().replace(/^(\.\/)?(etc\/)?lists\//, '').replace(/\.cdb$/, '');
}
