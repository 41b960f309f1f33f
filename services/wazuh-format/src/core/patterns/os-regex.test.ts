import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OsRegex, resumeAfter } from './os-regex.ts';
import { PatternError } from './pattern-error.ts';

const exec = (pattern: string, subject: string, captures = true) => OsRegex.compile(pattern, { captures }).exec(subject);

test('OS_Regex classes: \\w includes - and @, \\s is a space only, \\p is its own punctuation set', () => {
  assert.deepEqual(exec('^(\\w+)$', 'a-b@c_1'), { end: 0, captures: ['a-b@c_1'] }, 'end: where the run started');
  assert.equal(exec('a\\sb', 'a\tb'), null);
  assert.equal(exec('a\\tb', 'a\tb')?.end, 2);
  assert.equal(exec('^\\p$', '/'), null);
  assert.equal(exec('^\\p$', '!')?.end, 0);
  assert.equal(exec('^\\W$', 'é')?.end, 0, 'a non-ASCII character is not a word character');
});

test('OS_Regex: "." is a literal dot, "\\." is any character', () => {
  assert.equal(exec('a.c', 'abc'), null);
  assert.equal(exec('a.c', 'a.c')?.end, 2);
  assert.equal(exec('a\\.c', 'abc')?.end, 2);
});

test('OS_Regex: literals compare case-insensitively (ASCII)', () => {
  assert.equal(exec('FAILED password', 'failed PASSWORD')?.end, 14);
});

test('OS_Regex: + and * are quantifiers only after a backslash class; ? is never special', () => {
  assert.deepEqual(exec('a+', 'a+'), { end: 1, captures: [] });
  assert.equal(exec('a?', 'a?')?.end, 1);
  assert.equal(exec('^\\d*x', 'x')?.end, 0);
});

test('OS_Regex: quantifiers are lazy with bounded backtracking (no real backtracking)', () => {
  assert.deepEqual(exec('(\\w+)-(\\w+)', 'a-b-c'), { end: 2, captures: ['a', 'b-c'] });
  assert.deepEqual(exec('(\\w+)\\.(\\w+)', 'abc.def'), { end: 1, captures: ['a', 'c'] });
  assert.equal(exec('^(\\d+)(\\d)$', '12345'), null);
});

test('OS_Regex end positions, which decoders resume from', () => {
  assert.equal(exec('^\\d+', '123 abc', false)?.end, 3);
  assert.equal(exec('(\\S+)$', 'ab cd')?.end, 3);
  assert.equal(exec('^(\\w+)', 'abc def')?.end, 0);
  assert.equal(exec('^\\w+', 'abc def')?.end, 3);
  assert.equal(resumeAfter('abc', 1), 2);
  assert.equal(resumeAfter('abc', 3), 3, 'at the end of the subject the decoder stays there');
});

test('OS_Regex captures: a group that consumed nothing at the end is dropped, an empty one in the middle is kept', () => {
  assert.deepEqual(exec('x(\\S*)', 'x'), { end: 0, captures: [] });
  assert.deepEqual(exec('x(\\S*)y', 'xy'), { end: 1, captures: [''] });
  assert.equal(exec('(a)(b)', 'ab'), null, 'a group closing straight into another group does not work with literals');
});

test('OS_Regex anchors and alternation: ^ and $ only at the ends of an alternative, first alternative wins', () => {
  assert.equal(exec('^abc$', 'abc')?.end, 2);
  assert.equal(exec('^abc$', 'abcd'), null);
  assert.equal(exec('a^b', 'a^b')?.end, 2, '^ elsewhere is a literal');
  assert.equal(exec('a$b', 'a$b')?.end, 2, '$ elsewhere is a literal');
  assert.equal(exec('^x|^abc', 'abc')?.end, 2);
  assert.equal(exec('\\$', 'a$')?.end, 1, 'an escaped \\$ never anchors');
});

test('OS_Regex compile errors: unknown escapes, nested groups, | inside a group, unbalanced parentheses', () => {
  for (const bad of ['a\\n', 'a\\', '((a))', '(a|b)', '(a', 'a)']) {
    assert.throws(() => OsRegex.compile(bad), PatternError, bad);
  }
  assert.throws(() => OsRegex.compile('x'.repeat(20481)), /20480/);
});

test('OS_Regex matches from an offset as the C engine does from a pointer', () => {
  const re = OsRegex.compile('^(\\S+) port', { captures: true });
  assert.deepEqual(re.exec('user bob port 22', 5), { end: 12, captures: ['bob'] });
  assert.equal(re.exec('x', 5), null);
});

test('OS_Regex: the RegExp fast path agrees with the interpreter on quantifier-free patterns', () => {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const atoms = ['a', 'b', 'A', '-', '.', ' ', '\\d', '\\w', '\\s', '\\p', '\\W', '\\S', '\\.', '\\$', '\\(', '1', ':'];
  const chars = 'abAB-. 1:$(x\t';
  for (let k = 0; k < 3000; k++) {
    let p = rand(4) === 0 ? '^' : '';
    const len = 1 + rand(4);
    for (let i = 0; i < len; i++) p += atoms[rand(atoms.length)];
    if (rand(4) === 0) p += '$';
    if (rand(5) === 0) p += `|${atoms[rand(atoms.length)]}`;
    let s = '';
    const sl = rand(10);
    for (let i = 0; i < sl; i++) s += chars[rand(chars.length)];
    const fast = OsRegex.compile(p).exec(s);
    const slow = OsRegex.compile(p, { interpretOnly: true }).exec(s);
    assert.deepEqual(fast, slow, `${JSON.stringify(p)} on ${JSON.stringify(s)}`);
  }
});

test('OS_Regex: the literal-run prefilter never rejects what the interpreter matches', () => {
  let seed = 3;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const atoms = ['a', 'b', 'ab', ':', ' ', '(', ')', '\\d+', '\\w*', '\\S+', '\\s*', '\\.+', '\\p', 'x', 'B'];
  const chars = 'abAB: x1-(';
  for (let k = 0; k < 4000; k++) {
    let p = '';
    let open = false;
    for (let i = 1 + rand(5); i > 0; i--) {
      let atom = atoms[rand(atoms.length)] as string;
      if (atom === '(') {
        if (open) continue;
        open = true;
      } else if (atom === ')') {
        if (!open) continue;
        open = false;
      }
      p += atom;
    }
    if (open) p += ')';
    if (rand(3) === 0) p = `^${p}`;
    if (rand(5) === 0) p += rand(2) === 0 ? '|a\\d+' : '|^:';
    let s = '';
    for (let i = rand(12); i > 0; i--) s += chars[rand(chars.length)];
    for (const captures of [false, true]) {
      const fast = OsRegex.compile(p, { captures }).exec(s);
      const slow = OsRegex.compile(p, { captures, interpretOnly: true }).exec(s);
      assert.deepEqual(fast, slow, `${JSON.stringify(p)} on ${JSON.stringify(s)} (captures: ${captures})`);
    }
  }
});
