import { parseWazuhIni } from './wazuh-ini.ts';

/**
 * The test cases of a `.ini` file in the format of Wazuh's ruleset test suite (ruleset/tests, Wazuh's tests/;
 * see docs/ruleset.md):
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

/** What the last line of a case gave: rule id, level and owner decoder name ('' when none). */
export interface CaseOutcome {
  rule: string;
  level: string;
  decoder: string;
  /** The rule's description as the alert shows it (fields substituted); '' when no rule matched. */
  description?: string;
}

const KINDS = new Set(['log', 'fim', 'sca', 'audit']);

/** The cases of one .ini file; problems (a case without `rule`, an unknown kind) are returned, not thrown. */
export function casesOf(file: string, text: string): { cases: RulesetCase[]; problems: string[] } {
  const cases: RulesetCase[] = [];
  const problems: string[] = [];
  for (const [section, keys] of parseWazuhIni(text)) {
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

/** Why an outcome does not satisfy a case, or undefined when it does: `field 'got' (want 'expected')`. */
export function verdict(c: RulesetCase, got: CaseOutcome): string | undefined {
  if (c.expect === 'fail') return got.rule === c.rule ? `must not give rule ${c.rule}, but did` : undefined;
  const want = { rule: c.rule, level: c.level, decoder: c.decoder };
  const diffs = (Object.keys(want) as Array<keyof typeof want>)
    .filter((k) => want[k] !== '' && want[k] !== got[k])
    .map((k) => `${k} '${got[k]}' (want '${want[k]}')`);
  return diffs.length > 0 ? diffs.join(', ') : undefined;
}

/**
 * The verdict of Wazuh's own test runner: a `pass` case must give exactly the expected rule, level and decoder
 * (empty ones included); a `fail` case must not give all three, and passes whenever one is empty (an empty
 * expected value makes the upstream runner's logtest call fail, which it counts as "did not match").
 */
export function wazuhVerdict(c: RulesetCase, got: CaseOutcome): string | undefined {
  const want = { rule: c.rule, level: c.level, decoder: c.decoder };
  const diffs = (Object.keys(want) as Array<keyof typeof want>).filter((k) => want[k] !== got[k]);
  if (c.expect === 'fail') {
    const anyEmpty = want.rule === '' || want.level === '' || want.decoder === '';
    return anyEmpty || diffs.length > 0 ? undefined : `must not give rule ${c.rule} (level ${c.level}, decoder ${c.decoder}), but did`;
  }
  return diffs.length > 0 ? diffs.map((k) => `${k} '${got[k]}' (want '${want[k]}')`).join(', ') : undefined;
}

/**
 * What Wazuh's own test runner (tests/runtests.py) changes in the ruleset before running: base rule 60000 reads
 * Windows eventchannel events through the JSON decoder, since the test files give them as the agent's JSON.
 */
export function wazuhRunnerEdit(file: string, text: string): string {
  if (!file.endsWith('0575-win-base_rules.xml')) return text;
  return text.replace(/<category>ossec<\/category>\s*<decoded_as>windows_eventchannel<\/decoded_as>/, '<decoded_as>json</decoded_as>');
}
