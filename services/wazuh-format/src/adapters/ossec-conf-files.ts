import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { VigilError } from '@vigil/common';
import { confListName, isExcluded, readOssecConf, type OssecRulesetItem } from '../core/ruleset-files/ossec-conf.ts';
import type { ListSource, RulesetSource } from '../core/ruleset-files/ruleset-file-kind.ts';

/**
 * Reading a manager's ruleset as its `ossec.conf` configures it: decoder files, rule files and CDB lists in the order
 * of its `<rules>` / `<ruleset>` block (see core/ruleset-files/ossec-conf.ts).
 *
 * Paths resolve as the manager resolves them, against its installation folder (`/var/ossec`): `baseDir`, or by
 * default the folder holding the configuration, or its parent when that folder is `etc/`. A rule file named without
 * a `/` (OSSEC's `<include>sshd_rules.xml</include>`) is in `<base>/rules/`. Without any decoder entry, OSSEC's
 * `etc/decoder.xml` (and `etc/local_decoder.xml`) are read. Folders give their files sorted by name. Every failure
 * is a VigilError RULESET_INVALID naming the configuration file and line.
 */
export interface OssecConfRuleset {
  /** Decoder files in load order. */
  decoders: RulesetSource[];
  /** Rule files in load order (the order matters: load them without sorting). */
  rules: RulesetSource[];
  /** CDB lists (source form), named as rules refer to them. */
  lists: ListSource[];
}

export interface OssecConfReadOptions {
  /** The manager's installation folder, against which relative paths resolve. */
  baseDir?: string;
}

/** The installation folder of a configuration: its folder, or the parent of an `etc/` folder. */
export function ossecBaseDir(confPath: string): string {
  const dir = dirname(resolve(confPath));
  return basename(dir) === 'etc' ? dirname(dir) : dir;
}

function fail(confPath: string, line: number, message: string, cause?: unknown): never {
  throw new VigilError('RULESET_INVALID', `${confPath}:${line}: ${message}`, { cause, details: { file: confPath, line } });
}

function readAt(confPath: string, item: OssecRulesetItem, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    return fail(confPath, item.line, `cannot read ${file} (<${item.kind}> ${item.path}): ${(cause as Error).message}`, cause);
  }
}

function filesOfDir(confPath: string, item: Extract<OssecRulesetItem, { kind: 'rule-dir' | 'decoder-dir' }>, dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (cause) {
    return fail(confPath, item.line, `cannot list ${dir} (<${item.kind}> ${item.path}): ${(cause as Error).message}`, cause);
  }
  return names.filter((n) => item.pattern.test(n)).map((n) => join(dir, n)).filter((f) => statSync(f).isFile());
}

/** Reads the ruleset an `ossec.conf` configures (see the module comment). */
export function readOssecConfRuleset(confPath: string, options: OssecConfReadOptions = {}): OssecConfRuleset {
  let text: string;
  try {
    text = readFileSync(confPath, 'utf8');
  } catch (cause) {
    return fail(confPath, 0, `cannot read the configuration: ${(cause as Error).message}`, cause);
  }
  const { plan, problems } = readOssecConf(text);
  const first = problems[0];
  if (first) {
    const lines = problems.map((p) => `${confPath}:${p.line}: ${p.message}`);
    throw new VigilError('RULESET_INVALID', lines.join('\n'), { details: { file: confPath, problems } });
  }
  const base = resolve(options.baseDir ?? ossecBaseDir(confPath));
  const at = (path: string) => (isAbsolute(path) ? path : join(base, path));
  const out: OssecConfRuleset = { decoders: [], rules: [], lists: [] };
  let decoderEntries = 0;
  for (const item of plan.items) {
    switch (item.kind) {
      case 'rule-file': {
        if (isExcluded(plan.ruleExcludes, basename(item.path), item.path)) break;
        const file = item.path.includes('/') ? at(item.path) : join(base, 'rules', item.path);
        out.rules.push({ file, text: readAt(confPath, item, file) });
        break;
      }
      case 'rule-dir':
        for (const file of filesOfDir(confPath, item, at(item.path))) {
          if (!isExcluded(plan.ruleExcludes, basename(file), join(item.path, basename(file)))) out.rules.push({ file, text: readAt(confPath, item, file) });
        }
        break;
      case 'decoder-file': {
        decoderEntries++;
        if (isExcluded(plan.decoderExcludes, basename(item.path), item.path)) break;
        const file = at(item.path);
        out.decoders.push({ file, text: readAt(confPath, item, file) });
        break;
      }
      case 'decoder-dir':
        decoderEntries++;
        for (const file of filesOfDir(confPath, item, at(item.path))) {
          if (!isExcluded(plan.decoderExcludes, basename(file), join(item.path, basename(file)))) out.decoders.push({ file, text: readAt(confPath, item, file) });
        }
        break;
      case 'list': {
        // The configuration names the compiled list (`.cdb` or not); Vigil reads its source, beside it.
        const file = at(item.path.replace(/\.cdb$/, ''));
        out.lists.push({ name: confListName(item.path), file, text: readAt(confPath, item, file) });
        break;
      }
    }
  }
  if (decoderEntries === 0) {
    for (const name of ['decoder.xml', 'local_decoder.xml']) {
      const file = join(base, 'etc', name);
      if (existsSync(file)) out.decoders.push({ file, text: readFileSync(file, 'utf8') });
    }
  }
  return out;
}
