import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { errorMessage } from '@vigil/common';
import { casesOf, resolveRulesetPath, verdict, wazuhVerdict, type CaseOutcome, type RulesetCase } from '@vigil/wazuh-format';
import { loadRuleset, runCase } from '../ruletest/ruleset-cases-run.ts';

/**
 * `vigil ruletest DIR…`: runs the test files (`*.ini`, Wazuh's test-suite format: see `casesOf` of
 * @vigil/wazuh-format and docs/ruleset.md) of each DIR (or a single `.ini` file) against a ruleset, and prints one
 * line per case with the expected and the actual rule, level and decoder; a failing case gets a diff. Exits 0
 * when every case passes, 1 when one fails (or the ruleset or a test file has errors), 2 on a usage error.
 */
export interface RuletestOptions {
  /** Folders of `.ini` files, or `.ini` files. */
  dirs: readonly string[];
  /** Ruleset paths (`--ruleset`, repeatable; default the built-in ruleset), as `vigil logtest` takes them. */
  rulesets?: readonly string[];
  /**
   * Run as Wazuh's own test runner (tests/runtests.py) does: with the `ruleset/` folder beside the test files
   * loaded too, rule 60000 reading Windows events as JSON, a rule within its `ignore` time giving nothing (as
   * wazuh-logtest), its verdicts (`wazuhVerdict`), and the GeoIP test files skipped. Without it, cases are judged as the pipeline judges events.
   */
  wazuhRunner?: boolean;
}

export interface RuletestIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const show = (o: CaseOutcome) => `rule ${o.rule || '-'}, level ${o.level || '-'}, decoder ${o.decoder || '-'}`;
const expected = (c: RulesetCase): CaseOutcome => ({ rule: c.rule, level: c.level, decoder: c.decoder });

/** The `.ini` files of a path: the file itself, or the `*.ini` of the folder (sorted). */
function iniFiles(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).filter((n) => n.endsWith('.ini')).sort().map((n) => join(path, n));
}

/** The readable diff of a failing case: what was expected, what came out, and the last line sent. */
function diffOf(c: RulesetCase, got: CaseOutcome, why: string): string[] {
  const last = c.lines[c.lines.length - 1] ?? '';
  const lines = c.expect === 'fail'
    ? [`    - must not give  rule ${c.rule}`, `    + actual         ${show(got)}`]
    : [`    - expected  ${show(expected(c))}`, `    + actual    ${show(got)}`];
  lines.push(`      why       ${why}`, `      last line (${c.lines.length} sent): ${last.length > 200 ? `${last.slice(0, 200)}…` : last}`);
  return lines;
}

export async function ruletestCommand(options: RuletestOptions, io: RuletestIo): Promise<number> {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  if (options.dirs.length === 0) {
    io.stderr.write('vigil ruletest: name at least one folder of .ini test files (or a .ini file)\n');
    return 2;
  }
  const rulesets = [...(options.rulesets && options.rulesets.length > 0 ? options.rulesets : ['builtin'])];
  const files: string[] = [];
  for (const dir of options.dirs) {
    if (!existsSync(dir)) {
      io.stderr.write(`vigil ruletest: ${dir}: no such file or folder\n`);
      return 2;
    }
    files.push(...iniFiles(dir));
    // Wazuh's runner installs tests/ruleset (decoders and rules the test files rely on) beside the ruleset.
    if (options.wazuhRunner && statSync(dir).isDirectory() && existsSync(join(dir, 'ruleset'))) rulesets.push(join(dir, 'ruleset'));
  }

  let loaded: ReturnType<typeof loadRuleset>;
  try {
    loaded = loadRuleset(rulesets.map(resolveRulesetPath), { wazuhRunner: options.wazuhRunner ?? false });
  } catch (err) {
    io.stderr.write(`vigil ruletest: ${errorMessage(err)}\n`);
    return 1;
  }
  if (loaded.errors.length > 0) {
    for (const e of loaded.errors) io.stderr.write(`${e.file}:${e.line}: ${e.message}\n`);
    io.stderr.write(`vigil ruletest: the ruleset has ${loaded.errors.length} error(s)\n`);
    return 1;
  }
  io.stderr.write(`ruletest: ${loaded.decoderCount} decoders, ${loaded.rules.byId.size} rules from ${rulesets.join(', ')}\n`);

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of files) {
    const name = basename(file);
    if (options.wazuhRunner && name.endsWith('geoip.ini')) {
      out(`skip ${name}: GeoIP cases need a GeoIP database (Wazuh's runner leaves them out too)`);
      skipped++;
      continue;
    }
    const { cases, problems } = casesOf(name, readFileSync(file, 'utf8'));
    for (const p of problems) {
      // Wazuh's runner passes over sections it cannot run; Vigil's own test files must not have any.
      if (options.wazuhRunner) out(`skip ${p}`);
      else {
        out(`FAIL ${p}`);
        failed++;
      }
    }
    for (const c of cases) {
      const got = runCase(loaded, c, { ignoreMode: options.wazuhRunner ? 'drop' : 'parent' });
      const why = options.wazuhRunner ? wazuhVerdict(c, got) : verdict(c, got);
      const title = `${name} [${c.section}] ${c.key}`;
      if (why === undefined) {
        passed++;
        out(c.expect === 'fail' ? `ok   ${title}: must not give rule ${c.rule}; gave ${show(got)}` : `ok   ${title}: ${show(got)}`);
      } else {
        failed++;
        out(`FAIL ${title}`);
        for (const l of diffOf(c, got, why)) out(l);
      }
    }
  }
  out(`${passed + failed} cases in ${files.length - skipped} files: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} files skipped` : ''}`);
  return failed > 0 ? 1 : 0;
}
