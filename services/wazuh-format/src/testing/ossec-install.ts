import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temporary OSSEC installation folder laid out as OSSEC's installer lays it out, over a ruleset folder with
 * `decoder.xml`, `rules/` and `rules.template` (OSSEC 3.3.0's, see ossecRulesetDir): `rules/` and `etc/decoder.xml`
 * link to the ruleset's, and `etc/ossec.conf` holds the `<rules>` block of `rules.template`. Returns the path of
 * that `ossec.conf`.
 */
export function ossecInstall(rulesetDir: string): string {
  const base = mkdtempSync(join(tmpdir(), 'vigil-ossec-'));
  mkdirSync(join(base, 'etc'));
  symlinkSync(join(rulesetDir, 'rules'), join(base, 'rules'));
  symlinkSync(join(rulesetDir, 'decoder.xml'), join(base, 'etc', 'decoder.xml'));
  const conf = join(base, 'etc', 'ossec.conf');
  writeFileSync(conf, `<ossec_config>\n${readFileSync(join(rulesetDir, 'rules.template'), 'utf8')}\n</ossec_config>\n`);
  return conf;
}
