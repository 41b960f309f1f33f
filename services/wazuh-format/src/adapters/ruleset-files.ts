import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { VigilError } from '@vigil/common';
import {
  byBasename,
  classifyRulesetXml,
  isListSourceFile,
  type ClassifiedRulesetFile,
  type ListSource,
  type RulesetSource,
} from '../core/ruleset-files/ruleset-file-kind.ts';
import { resolveRulesetPath } from './ruleset-path.ts';

/**
 * Finding and reading the files of a ruleset path (`builtin`, a ruleset folder with `decoders/`, `rules/` and
 * `lists/`, a folder of XML files, or one file), for the decoder and the rule engine alike. Every failure to list
 * or read is a VigilError RULESET_INVALID naming the path.
 */

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Names a folder's listing skips: a mounted Kubernetes ConfigMap keeps its files in `..<timestamp>/` behind a
 * `..data` symlink, beside the links by the files' own names.
 */
const hidden = (name: string) => name.startsWith('..');

/** The `*.xml` files of a folder, sorted by name. */
function xmlFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.xml') && !hidden(n))
    .sort()
    .map((n) => join(dir, n));
}

function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

/** Runs a read of one ruleset path, turning a file system failure into RULESET_INVALID. */
function readingRuleset<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (cause) {
    if (cause instanceof VigilError) throw cause;
    throw new VigilError('RULESET_INVALID', `${path}: cannot read ruleset: ${(cause as Error).message}`, { cause, details: { path } });
  }
}

/**
 * The XML files of one ruleset path: `<path>/decoders/*.xml` and `<path>/rules/*.xml` for a ruleset folder,
 * otherwise the `*.xml` of the folder (or the file itself), each recognised by its content.
 */
export function rulesetXmlFiles(path: string): ClassifiedRulesetFile[] {
  return readingRuleset(path, () => {
    let files: string[];
    if (statSync(path).isFile()) files = [path];
    else if (isDir(join(path, 'decoders')) || isDir(join(path, 'rules'))) {
      files = [join(path, 'decoders'), join(path, 'rules')].filter(isDir).flatMap(xmlFilesIn);
    } else files = xmlFilesIn(path);
    return files.map((file) => {
      const text = readText(file);
      return { file, kind: classifyRulesetXml(text), text };
    });
  });
}

/** Decoder files of several ruleset paths (`builtin` resolved), sorted by basename across all of them as Wazuh sorts them. */
export function decoderSources(paths: readonly string[]): RulesetSource[] {
  const all = paths.flatMap((p) => rulesetXmlFiles(resolveRulesetPath(p))).filter((f) => f.kind === 'decoders');
  all.sort(byBasename);
  return all.map(({ file, text }) => ({ file, text }));
}

/**
 * Rule files of a ruleset path, sorted by name: `<path>/rules/*.xml` if that folder exists, else the rule files
 * among `<path>/*.xml`, or the file itself.
 */
export function ruleFiles(path: string): string[] {
  return readingRuleset(path, () => {
    if (statSync(path).isFile()) return [path];
    if (isDir(join(path, 'rules'))) return xmlFilesIn(join(path, 'rules'));
    return xmlFilesIn(path).filter((f) => classifyRulesetXml(readText(f)) === 'rules');
  });
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (hidden(name)) continue;
    const full = join(dir, name);
    if (isDir(full)) walk(full, out);
    else out.push(full);
  }
}

/** The CDB lists (source form) of a ruleset folder: every file under `<path>/lists/`, named by its relative path. */
export function listSources(path: string): ListSource[] {
  const dir = join(path, 'lists');
  if (!isDir(dir)) return [];
  return readingRuleset(path, () => {
    const files: string[] = [];
    walk(dir, files);
    return files.filter(isListSourceFile).map((file) => ({ name: relative(dir, file), file, text: readText(file) }));
  });
}

/** The rule files and CDB lists of several ruleset paths (`builtin` resolved), path by path, in the order given. */
export function readRulesetFiles(paths: readonly string[]): { sources: RulesetSource[]; lists: ListSource[] } {
  const sources: RulesetSource[] = [];
  const lists: ListSource[] = [];
  for (const p of paths) {
    const path = resolveRulesetPath(p);
    readingRuleset(path, () => {
      for (const file of ruleFiles(path)) sources.push({ file, text: readText(file) });
      if (isDir(path)) lists.push(...listSources(path));
    });
  }
  return { sources, lists };
}
