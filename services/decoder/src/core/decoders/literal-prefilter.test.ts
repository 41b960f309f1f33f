import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWazuhIni, wazuhRulesetDir } from '@vigil/wazuh-format/testing';
import { corpus } from '../../../../../bench/host-corpus.ts';
import { decoderSources } from '@vigil/wazuh-format';
import { compileCapturing } from '@vigil/wazuh-format';
import { predecode } from '../predecode.ts';
import { decodeLog, type DecodeLogInput } from './decode-log.ts';
import type { DecoderSet } from './decoder-types.ts';
import { buildLiteralIndex, prefilterLiterals } from './literal-prefilter.ts';
import { loadDecoders } from './load-decoders.ts';

const dir = wazuhRulesetDir();
const SKIP_REASON = 'Wazuh ruleset not found (set WAZUH_RULESET_DIR to a copy with decoders/ and tests/): only crafted cases run';

const osregex = (p: string) => compileCapturing('osregex', p, { captures: false }).necessaryLiterals();
const pcre2 = (p: string) => compileCapturing('pcre2', p, { captures: false }).necessaryLiterals();

test('OS_Regex: the runs of literal cells of each alternative, lowercase, longest first', () => {
  assert.deepEqual(osregex('^Accepted \\S+ for'), [['accepted ', ' for']]);
  assert.deepEqual(osregex('%ASA-|\\w\\w\\w \\d\\d: %ASA-'), [['%asa-'], [': %asa-', ' ']]);
  // Quantified classes and groups end a run; `+` after a literal is a literal.
  assert.deepEqual(osregex('ab\\d+cd(ef)g+h'), [['g+h', 'ab', 'cd', 'ef']]);
  // An alternative without a literal cell: nothing is known.
  assert.equal(osregex('^\\d+|abc'), undefined);
  assert.equal(osregex('abc|'), undefined);
});

test('PCRE2: runs of plain literal characters; anything not understood gives nothing', () => {
  assert.deepEqual(pcre2(',ECP\\.Request,'), [[',ECP.Request,']]);
  assert.deepEqual(pcre2('a\\d+bc'), [['bc', 'a']]);
  // A quantified literal with a minimum of one ends a run and starts the next; an optional one breaks it.
  assert.deepEqual(pcre2('xab+cd'), [['xab', 'bcd']]);
  assert.deepEqual(pcre2('ab?cd'), [['cd', 'a']]);
  assert.deepEqual(pcre2('ab{2,}c'), [['ab', 'bc']]);
  assert.deepEqual(pcre2('CEF:0\\|F5\\|(.+)|abc'), [['CEF:0|F5|'], ['abc']]);
  // A group is a barrier, even one holding a literal every match needs.
  assert.deepEqual(pcre2('(abc)de'), [['de']]);
  // Escapes of letters are classes or special characters, not literals.
  assert.equal(pcre2('\\d\\s\\w'), undefined);
  assert.deepEqual(pcre2('a\\nb\\.c'), [['b.c', 'a']]);
  // Caseless letters become classes: no literal (the punctuation is).
  assert.deepEqual(pcre2('(?i)abc:'), [[':']]);
  assert.equal(pcre2('(?i)abc'), undefined);
  // Lookarounds and back references are not translated for the linear engine: nothing is claimed.
  assert.equal(pcre2('(?=x)abc'), undefined);
  assert.equal(pcre2('(a)bc\\1'), undefined);
  assert.equal(pcre2('abc|\\d'), undefined);
});

test('a decoder is prefiltered only when each alternative has a usable literal', () => {
  const set = loadDecoders([
    {
      file: 'fixture.xml',
      text: `
<decoder name="long"><prematch>^Foo Bar|baz \\d+ QUUX</prematch></decoder>
<decoder name="short"><prematch>^a\\d+:</prematch></decoder>
<decoder name="rare"><prematch>\\w+%\\d</prematch></decoder>
<decoder name="mixed"><prematch>HTTP|\\d:</prematch></decoder>
<decoder name="nonascii"><prematch>caf\u00e9 au lait</prematch></decoder>
<decoder name="pcre"><prematch type="pcre2">^\\d+ (?:x|y) ERROR:</prematch></decoder>`,
    },
  ]).set;
  const literals = Object.fromEntries(set.withoutProgramName.map((d) => [d.name, prefilterLiterals(d)]));
  assert.deepEqual(literals, {
    long: ['foo bar', ' quux'],
    short: undefined,
    rare: ['%'],
    mixed: undefined,
    nonascii: [' au lait'],
    pcre: [' error:'],
  });
});

/** Every log line of the Wazuh test suite, as pre-decoding gives it to decodeLog. */
function suiteLines(ruleset: string): string[] {
  const out: string[] = [];
  for (const file of readdirSync(join(ruleset, 'tests')).filter((f) => f.endsWith('.ini')).sort()) {
    for (const [, keys] of parseWazuhIni(readFileSync(join(ruleset, 'tests', file), 'utf8'))) {
      for (const [key, value] of keys) if (key.startsWith('log ')) out.push(...value.split('\n'));
    }
  }
  return out;
}

/** Lines made to catch a wrong skip: NUL characters, non-ASCII, case changes, cut lines. */
function craftedLines(base: readonly string[]): string[] {
  const out: string[] = [
    '10.0.0.1 - - [28/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl"',
    '10.0.0.1 - - [28/Nov/2026:10:00:00 +0000] "GET / http/1.1" 200 5 "-" "curl"',
    '10.0.0.1 - - [28/Nov/2026:10:00:00 +0000] "GET / \u0000HTTP/1.1" 200 5 "-" "curl"',
    '10.0.0.1 - - [28/Nov/2026:10:00:00 +0000] "GET / H\u00c9TTP/1.1" 200 5 "-" "curl"',
    '%ASA-6-302013: Built outbound TCP connection',
    '%asa-6-302013: built outbound tcp connection',
    '\u0000%ASA-6-302013: Built',
    'date=2024-01-01 time=10:00:00 devname=FG100 devid=FG100 logid=0000000013 type=traffic',
    'DATE=2024-01-01 TIME=10:00:00 DEVNAME=FG100 DEVID=FG100 LOGID=0000000013 TYPE=TRAFFIC',
    '{"integration":"ms-graph","x":1}',
    '\u00e9\u00e8 wazuh: \u4e2d\u6587 %FTD-1-1: x',
    '',
    '\u0000',
  ];
  for (const line of base) {
    out.push(line.toUpperCase(), line.toLowerCase(), line.slice(0, line.length >> 1), `\u00e9${line}`);
    const mid = line.length >> 1;
    out.push(`${line.slice(0, mid)}\u0000${line.slice(mid)}`);
  }
  return out;
}

function inputsOf(lines: readonly string[]): DecodeLogInput[] {
  return lines.map((line) => {
    const pre = predecode(line);
    return { log: pre.log, programName: pre.program_name };
  });
}

/** decodeLog gives the same result with and without the prefilter, for every input. */
function assertSameDecoding(set: DecoderSet, inputs: readonly DecodeLogInput[]): void {
  for (const input of inputs) {
    const off = decodeLog(set, input, { literalPrefilter: false });
    const on = decodeLog(set, input);
    assert.deepEqual(on, off, `log ${JSON.stringify(input.log.slice(0, 200))} program ${JSON.stringify(input.programName)}`);
  }
}

/**
 * The property the prefilter rests on, checked for every top-level decoder (not only those the thresholds let it
 * skip): when none of a decoder's literals occurs in the log, its prematch does not match.
 */
function assertSkipsAreSound(set: DecoderSet, inputs: readonly DecodeLogInput[]): number {
  let skips = 0;
  for (const list of [set.withoutProgramName, set.withProgramName]) {
    const index = buildLiteralIndex(list);
    if (index === undefined) continue;
    for (const input of inputs) {
      index.automaton.scan(input.log);
      for (const [d, ids] of index.idsOf) {
        if (index.automaton.hasAny(ids)) continue;
        skips++;
        assert.equal(d.prematch?.exec(input.log, 0) ?? null, null, `${d.name}: <prematch>${d.prematch?.pattern}</prematch> matches ${JSON.stringify(input.log.slice(0, 200))}`);
      }
    }
  }
  return skips;
}

test('crafted lines: the same decoding with and without the prefilter', () => {
  const set = loadDecoders([
    {
      file: 'fixture.xml',
      text: Array.from({ length: 40 }, (_, i) => `<decoder name="d${i}"><prematch>^x${i}y|Z${i}q</prematch></decoder>`).join('\n') +
        '<decoder name="web"><prematch>^\\S+ \\S+ \\S+ \\.*[\\S+ \\S\\d+] "\\w+ \\S+ HTTP\\S+" </prematch></decoder>' +
        '<decoder name="asa"><prematch>%ASA-</prematch></decoder>' +
        '<decoder name="forti"><prematch>devname=\\S+</prematch></decoder>',
    },
  ]).set;
  const inputs = inputsOf(craftedLines(['x3y', 'z39Q', 'Z4', 'X39Y']));
  assertSameDecoding(set, inputs);
  assert.ok(assertSkipsAreSound(set, inputs) > 0);
  assert.equal(decodeLog(set, { log: 'Z39Q' }).decoder?.name, 'd39');
  assert.equal(decodeLog(set, { log: '10.0.0.1 - - [28/Nov/2026:10:00:00 +0000] "GET / hTTp/1.1" 200' }).decoder?.name, 'web');
  assert.equal(decodeLog(set, { log: '10.0.0.1 - - [28/Nov/2026:10:00:00 +0000] "GET / \u0000HTTP/1.1" 200' }).decoder, undefined);
});

test('synthetic host corpus: the same decoding with and without the prefilter', (t) => {
  if (!dir) return t.skip(SKIP_REASON);
  const set = loadDecoders(decoderSources([dir])).set;
  const lines = corpus(300).map((x) => x.line);
  const inputs = inputsOf([...lines, ...craftedLines(lines.slice(0, 60))]);
  assertSameDecoding(set, inputs);
  t.diagnostic(`${inputs.length} lines, ${assertSkipsAreSound(set, inputs)} prematches shown skippable`);
});

test('Wazuh test suite: the same decoding with and without the prefilter, and every skip sound', (t) => {
  if (!dir) return t.skip(SKIP_REASON);
  const lines = suiteLines(dir);
  const inputs = inputsOf([...lines, ...craftedLines(lines)]);
  for (const sources of [decoderSources([dir]), decoderSources([dir, join(dir, 'tests', 'ruleset')])]) {
    const { set, errors } = loadDecoders(sources);
    assert.deepEqual(errors, []);
    assertSameDecoding(set, inputs);
    t.diagnostic(`${inputs.length} lines, ${assertSkipsAreSound(set, inputs)} prematches shown skippable`);
  }
});

test('Wazuh ruleset: every literal claimed necessary is in every subject a prematch or regex matches', (t) => {
  if (!dir) return t.skip(SKIP_REASON);
  const { set } = loadDecoders(decoderSources([dir, join(dir, 'tests', 'ruleset')]));
  const patterns = new Map<string, NonNullable<ReturnType<typeof compileCapturing>>>();
  for (const top of [...set.withoutProgramName, ...set.withProgramName]) {
    for (const d of [top, ...top.children]) for (const m of [d.prematch, d.regex]) if (m) patterns.set(`${m.dialect}:${m.pattern}`, m);
  }
  const lines = suiteLines(dir);
  const subjects = inputsOf([...lines, ...lines.map((l) => l.toUpperCase())]).map((x) => x.log);
  const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const lowered = subjects.map(lower);
  let checked = 0;
  for (const m of patterns.values()) {
    const alternatives = m.necessaryLiterals();
    if (alternatives === undefined) continue;
    subjects.forEach((subject, k) => {
      if (m.exec(subject, 0) === null) return;
      checked++;
      const s = lowered[k] as string;
      const ok = alternatives.some((literals) => literals.every((lit) => s.includes(lower(lit))));
      assert.ok(ok, `${m.dialect} ${m.pattern}: ${JSON.stringify(alternatives)} not in ${JSON.stringify(subject.slice(0, 200))}`);
    });
  }
  t.diagnostic(`${patterns.size} patterns, ${checked} matches checked`);
  assert.ok(checked > 1000);
});
