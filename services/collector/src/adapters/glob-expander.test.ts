import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandGlob } from './glob-expander.ts';

const root = mkdtempSync(join(tmpdir(), 'vigil-glob-'));
after(() => rmSync(root, { recursive: true, force: true }));
for (const d of ['logs', 'logs/dir.log', 'nginx', 'apache2', 'deep/a/b', 'app(1)', 'real']) mkdirSync(join(root, d), { recursive: true });
for (const f of ['logs/a.log', 'logs/b.log', 'logs/.h.log', 'logs/c.txt', 'logs/app7.log', 'logs/appx.log', 'logs/star*.log', 'nginx/access.log', 'apache2/error.log', 'deep/x.log', 'deep/a/b/y.log', 'app(1)/p.log', 'real/r.log']) {
  writeFileSync(join(root, f), '');
}
symlinkSync(join(root, 'real', 'r.log'), join(root, 'logs', 'link.log'));
const under = (paths: string[]) => paths.map((p) => p.slice(root.length + 1));

test('expansion: regular files only, sorted, symbolic links as named', () => {
  assert.deepEqual(under(expandGlob(join(root, 'logs', '*.log'))), ['logs/.h.log', 'logs/a.log', 'logs/app7.log', 'logs/appx.log', 'logs/b.log', 'logs/link.log', 'logs/star*.log']);
  assert.deepEqual(expandGlob(join(root, 'nothing', '*.log')), []);
});

test('expansion: braces (also across segments), classes, escapes, ** and literal segments', () => {
  assert.deepEqual(under(expandGlob(join(root, '{nginx,apache2}', '*.log'))), ['apache2/error.log', 'nginx/access.log']);
  assert.deepEqual(under(expandGlob(`${root}/{nginx/access,apache2/error}.log`)), ['apache2/error.log', 'nginx/access.log']);
  assert.deepEqual(under(expandGlob(join(root, 'logs', 'app[0-9].log'))), ['logs/app7.log']);
  assert.deepEqual(under(expandGlob(join(root, 'logs', 'app[!0-9].log'))), ['logs/appx.log']);
  assert.deepEqual(under(expandGlob(join(root, 'logs', 'star\\*.log'))), ['logs/star*.log']);
  assert.deepEqual(under(expandGlob(join(root, 'deep', '**', '*.log'))), ['deep/a/b/y.log', 'deep/x.log']);
  assert.deepEqual(under(expandGlob(join(root, 'app(1)', '*.log'))), ['app(1)/p.log']);
  assert.deepEqual(under(expandGlob(join(root, '*', 'p.log'))), ['app(1)/p.log']);
});
