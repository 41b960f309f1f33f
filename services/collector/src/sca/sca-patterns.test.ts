import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileContentRegex, fileNameMatches, osRegexProblem } from './sca-patterns.ts';

// The dialects themselves are tested in the decoder package (services/decoder/src/core/patterns/, with the
// conformance vectors); these tests are about how SCA uses them.

const captures = (source: string, line: string) => {
  const c = compileContentRegex(source, 'osregex');
  return c.ok ? c.exec(line)?.captures : c.message;
};

test('r: and n: regexes are OS_Regex with captures, as wm_sca.c compiles them (OS_RETURN_SUBSTRING)', () => {
  assert.deepEqual(captures('^\\s*PASS_MAX_DAYS\\s*\\t*(\\d+)', 'PASS_MAX_DAYS\t90'), ['90']);
  assert.deepEqual(captures('^maxstartups\\s+\\d+:(\\d+):\\d+', 'maxstartups 10:30:100'), ['30']);
  assert.deepEqual(captures('PermitRootLogin', 'permitrootlogin no'), [], 'case-insensitive');
  assert.deepEqual(captures('-e 2$', '-e 2'), []);
  assert.equal(captures('a.c', 'abc'), undefined, "'.' is a literal dot");
  assert.deepEqual(captures('a\\.c', 'abc'), [], "'\\.' is any character");
  assert.equal(captures('^\\s+x', '\tx'), undefined, '\\s is a space only');
  // Capture mode changes more than the captures: this one matches only when compiled with them.
  assert.deepEqual(captures('\\S*\\s*(\\d+)$', 'AA-A'), []);
  assert.equal(fileNameMatches('r:\\S*\\s*(\\d+)$', 'AA-A'), false, 'a d: file-name regex goes through OS_Regex(), without captures');
});

test('regex_type pcre2 compiles a JavaScript RegExp, case-sensitive, with its groups', () => {
  const c = compileContentRegex('^MaxAuthTries\\s+(\\d+)', 'pcre2');
  assert.ok(c.ok);
  assert.deepEqual(c.exec('MaxAuthTries 4')?.captures, ['4']);
  assert.equal(c.exec('maxauthtries 4'), null);
});

test('a regex that does not compile says why instead of throwing, and a d: filter with it never matches', () => {
  assert.equal(osRegexProblem('^PermitRootLogin\\s+no'), undefined);
  assert.match(osRegexProblem('bad\\q') ?? '', /unknown escape '\\q'/);
  assert.match(osRegexProblem('(a(b))') ?? '', /nested group/);
  assert.deepEqual(compileContentRegex('bad\\q', 'osregex'), { ok: false, message: osRegexProblem('bad\\q') });
  assert.equal(compileContentRegex('(', 'pcre2').ok, false);
  assert.equal(fileNameMatches('r:bad\\q', 'bad'), false);
});

test('d: file names: r:<OS_Regex>, otherwise OS_Match on the whole filter (a leading ! negates it)', () => {
  assert.equal(fileNameMatches('r:^\\d\\d-\\w+.rules$', '99-audit.rules'), true);
  assert.equal(fileNameMatches('R:\\.conf$', 'sshd.conf'), true, 'the r: prefix in any case');
  assert.equal(fileNameMatches('r:^\\d+', 'audit.rules'), false);
  assert.equal(fileNameMatches('.conf', 'CIS.CONF'), true);
  assert.equal(fileNameMatches('^99-|.rules$', 'x.rules'), true);
  assert.equal(fileNameMatches('!tmp', 'a.tmp'), false);
  assert.equal(fileNameMatches('!tmp', 'a.conf'), true);
});
