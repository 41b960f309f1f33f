/**
 * The test cases of `ruleset/tests/*.ini`, in the format of Wazuh's ruleset test suite (see docs/ruleset.md):
 *
 *   [section name]            one case
 *   log 1 pass = <line>       a sequence whose LAST line must give rule / alert (level) / decoder
 *   log 2 fail = <line>       a sequence whose LAST line must NOT give `rule` (the rule id): "must not match"
 *   rule = 200100
 *   alert = 5                 the level of the rule
 *   decoder = vigil-sshd      the decoder name as reported (a child reports its parent's name)
 *
 * A key repeated in a section (or a section repeated in a file) joins its values with newlines, as Python's
 * configparser does for the Wazuh harness: that is how a frequency case gives 8 lines to one session.
 *
 * Vigil's two additions, for events that are not log lines (Wazuh's harness cannot express them):
 *   kind = fim | sca | audit  the raw event kind; then each `log` value is the JSON payload of one raw event
 *   location = syscheck       the raw event location (default `stdin` for logs, the kind's name otherwise)
 */
export interface RulesetCase {
  file: string;
  section: string;
  key: string;
  /** `pass`: must give the expected rule, level and decoder. `fail`: must not give the expected rule. */
  expect: 'pass' | 'fail';
  lines: string[];
  rule: string;
  level: string;
  decoder: string;
  kind: 'log' | 'fim' | 'sca' | 'audit';
  location: string;
}

type Sections = Map<string, Map<string, string>>;

/** configparser in raw, non-strict mode with a list-extending dict, as the Wazuh harness reads its files. */
export function parseIni(text: string): Sections {
  const sections: Sections = new Map();
  let current: Map<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    if (/^\s*[;#]/.test(rawLine) || rawLine.trim() === '') continue;
    const section = /^\[(.*)\]\s*$/.exec(rawLine);
    if (section) {
      const name = section[1] as string;
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const kv = /^(.*?)\s*=\s*(.*)$/.exec(rawLine);
    if (!kv || !current) continue;
    const key = (kv[1] as string).trim().toLowerCase();
    const value = (kv[2] as string).trim();
    current.set(key, current.has(key) ? `${current.get(key)}\n${value}` : value);
  }
  return sections;
}

const KINDS = new Set(['log', 'fim', 'sca', 'audit']);

/** The cases of one .ini file; problems (a case without `rule`, an unknown kind) are returned, not thrown. */
export function casesOf(file: string, text: string): { cases: RulesetCase[]; problems: string[] } {
  const cases: RulesetCase[] = [];
  const problems: string[] = [];
  for (const [section, keys] of parseIni(text)) {
    const rule = keys.get('rule') ?? '';
    const kind = keys.get('kind') ?? 'log';
    if (rule === '') problems.push(`${file} [${section}]: no rule id`);
    if (!KINDS.has(kind)) problems.push(`${file} [${section}]: unknown kind '${kind}'`);
    let logKeys = 0;
    for (const [key, value] of keys) {
      const m = /^log .*\b(pass|fail)$/.exec(key);
      if (!m) continue;
      logKeys++;
      cases.push({
        file,
        section,
        key,
        expect: m[1] as 'pass' | 'fail',
        lines: value.split('\n'),
        rule,
        level: keys.get('alert') ?? '',
        decoder: keys.get('decoder') ?? '',
        kind: kind as RulesetCase['kind'],
        location: keys.get('location') ?? (kind === 'log' ? 'stdin' : kind === 'fim' ? 'syscheck' : kind),
      });
    }
    if (logKeys === 0) problems.push(`${file} [${section}]: no 'log N pass|fail' key`);
  }
  return { cases, problems };
}
