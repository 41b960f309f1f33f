import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@vigil/common';
import { waitFor } from '@vigil/common/testing';
import { readRulesetFiles } from './ruleset-files.ts';
import { rulesetHash } from '../core/ruleset-files/ruleset-hash.ts';
import { startRulesetReloader, type RulesetProblem, type RulesetRead } from './ruleset-reloader.ts';

const logger = createLogger({ level: 'silent' });

/** A folder as the kubelet mounts a ConfigMap: files in `..<version>/`, `..data` → it, and a link per file. */
function configMapFolder(files: Record<string, string>): { dir: string; update(files: Record<string, string>): void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-configmap-'));
  let version = 0;
  const write = (content: Record<string, string>) => {
    const data = `..2026_12_06_10_00_0${version++}`;
    mkdirSync(join(dir, data));
    for (const [name, text] of Object.entries(content)) writeFileSync(join(dir, data, name), text);
    // The kubelet's atomic writer: a new ..data_tmp link, renamed over ..data in one step.
    symlinkSync(data, join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    for (const name of Object.keys(content)) {
      try {
        symlinkSync(join('..data', name), join(dir, name));
      } catch {
        // the link exists already: it goes through ..data
      }
    }
  };
  write(files);
  return { dir, update: write };
}

/** A stand-in stage: its ruleset is the text of the rule files; a file containing BROKEN has an error on line 1. */
function readOf(dir: string): () => RulesetRead<string[]> {
  return () => {
    const { sources } = readRulesetFiles([dir]);
    return {
      hash: rulesetHash(sources.map((s) => ({ name: s.file, text: s.text }))),
      compile: () => ({
        errors: sources.filter((s) => s.text.includes('BROKEN')).map((s) => ({ file: s.file, line: 1, message: 'broken' })),
        warnings: [],
        value: sources.map((s) => s.text),
      }),
    };
  };
}

const rule = (id: string) => `<group name="x,"><rule id="${id}" level="3"><match>x</match><description>x</description></rule></group>\n`;

test('a ConfigMap update (the ..data symlink swap) is seen and reloaded once things are quiet; the files behind ..data are not read twice', async (t) => {
  const cm = configMapFolder({ 'local.xml': rule('100100') });
  t.after(() => rmSync(cm.dir, { recursive: true, force: true }));
  const read = readOf(cm.dir);
  const applied: string[][] = [];
  const reloader = startRulesetReloader<string[]>({
    service: 'rule-engine', paths: [cm.dir], hash: read().hash, logger, debounceMs: 50, pollMs: 0, sighup: false, read,
    apply: async (value) => void applied.push(value),
    refused: async () => assert.fail('nothing is refused'),
  });
  t.after(() => reloader.close());
  assert.equal(readRulesetFiles([cm.dir]).sources.length, 1, 'one rule file: the ..data entries are skipped');
  cm.update({ 'local.xml': rule('100101') });
  await waitFor(() => applied.length > 0, 10_000, 'the reload of the new ConfigMap content');
  assert.deepEqual(applied, [[rule('100101')]]);
  assert.equal(reloader.hash, read().hash);
  assert.deepEqual(await reloader.reload('again'), { result: 'unchanged', hash: read().hash }, 'the same content is not compiled again');
});

test('a reload with errors is refused once per content: the running ruleset stays; SIGHUP reloads', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-reload-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.xml'), rule('100100'));
  const read = readOf(dir);
  const first = read().hash;
  const applied: string[][] = [];
  const refused: Array<{ hash: string; errors: readonly RulesetProblem[] }> = [];
  const reloader = startRulesetReloader<string[]>({
    service: 'decoder', paths: [dir], hash: first, logger, watch: false, read,
    apply: async (value) => void applied.push(value),
    refused: async (hash, errors) => void refused.push({ hash, errors }),
  });
  t.after(() => reloader.close());

  writeFileSync(join(dir, 'b.xml'), `${rule('100200')}BROKEN`);
  const result = await reloader.reload('test');
  assert.equal(result.result, 'refused');
  assert.deepEqual(refused.map((r) => r.errors), [[{ file: join(dir, 'b.xml'), line: 1, message: 'broken' }]]);
  assert.equal(reloader.hash, first, 'the running ruleset stays');
  assert.equal((await reloader.reload('test')).result, 'unchanged', 'the same broken content is not refused twice');
  assert.equal(refused.length, 1);

  writeFileSync(join(dir, 'b.xml'), rule('100200'));
  process.kill(process.pid, 'SIGHUP');
  await waitFor(() => applied.length > 0, 10_000, 'the reload on SIGHUP');
  assert.deepEqual(applied, [[rule('100100'), rule('100200')]]);
  assert.notEqual(reloader.hash, first);
});

test('reloads asked for during a reload coalesce into one more, run after it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-reload-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.xml'), rule('1'));
  const read = readOf(dir);
  let applying = 0;
  let started!: () => void;
  const firstStarted = new Promise<void>((r) => (started = r));
  const order: string[] = [];
  const reloader = startRulesetReloader<string[]>({
    service: 'decoder', paths: [dir], hash: read().hash, logger, watch: false, sighup: false, read,
    apply: async (value) => {
      assert.equal(applying++, 0, 'one reload at a time');
      started();
      await new Promise((r) => setTimeout(r, 20));
      order.push(value.join(''));
      applying--;
    },
    refused: async () => {},
  });
  t.after(() => reloader.close());
  writeFileSync(join(dir, 'a.xml'), rule('2'));
  const a = reloader.reload();
  await firstStarted;
  writeFileSync(join(dir, 'a.xml'), rule('3'));
  const b = reloader.reload();
  const c = reloader.reload();
  assert.equal(b, c, 'asked twice during the first: one more reload');
  assert.notEqual(a, b);
  await Promise.all([a, b]);
  assert.deepEqual(order, [rule('2'), rule('3')]);
});
