import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilError } from '@vigil/common';
import { loadDecoderFiles } from './decoder-files.ts';

test('loading refuses a ruleset with errors: one `file:line: what is wrong` line per problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ruleset-'));
  mkdirSync(join(dir, 'decoders'));
  writeFileSync(join(dir, 'decoders', 'bad.xml'), '<decoder name="x">\n  <parent>missing</parent>\n</decoder>\n<decoder name="y">\n  <prematch>\\q</prematch>\n</decoder>\n');
  assert.throws(
    () => loadDecoderFiles([dir]),
    (err: unknown) =>
      err instanceof VigilError &&
      err.code === 'RULESET_INVALID' &&
      err.message.includes(`${join(dir, 'decoders', 'bad.xml')}:2: decoder 'x': parent 'missing' is not a top-level decoder defined before it`) &&
      err.message.includes(`${join(dir, 'decoders', 'bad.xml')}:5: decoder 'y': <prematch>: osregex pattern '\\q': unknown escape`),
  );
  assert.throws(() => loadDecoderFiles([join(dir, 'nowhere')]), /cannot read ruleset/);
});
