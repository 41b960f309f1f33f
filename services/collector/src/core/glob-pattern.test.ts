import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globPattern, globSegmentRegExp, hasGlob, splitGlobSegments } from './glob-pattern.ts';

test('glob segments become anchored regexes', () => {
  assert.ok(globSegmentRegExp('*.log').test('app.log'));
  assert.ok(!globSegmentRegExp('*.log').test('app.log.1'));
  assert.ok(globSegmentRegExp('app-?.log').test('app-1.log'));
  assert.ok(globSegmentRegExp('app[0-9].log').test('app7.log'));
  assert.ok(!globSegmentRegExp('app[!0-9].log').test('app7.log'));
  assert.ok(globSegmentRegExp('a+b(c).log').test('a+b(c).log'));
  assert.equal(hasGlob('/var/log/*.log'), true);
  assert.equal(hasGlob('/var/log/syslog'), false);
});

test('brace sets and ranges', () => {
  const re = globSegmentRegExp('{access,error}.log');
  assert.ok(re.test('access.log'));
  assert.ok(re.test('error.log'));
  assert.ok(!re.test('other.log'));
  assert.ok(globSegmentRegExp('app.{1..3}').test('app.2'));
  assert.ok(!globSegmentRegExp('app.{1..3}').test('app.4'));
  assert.equal(hasGlob('/var/log/{nginx,apache2}/access.log'), true);
  assert.equal(hasGlob('/var/log/app{1}.log'), false, 'a brace without a comma or a range is literal');
  assert.ok(globSegmentRegExp('app{1}.log').test('app{1}.log'));
  assert.deepEqual(splitGlobSegments('/var/log/{nginx/access,apache2/error}.log'), ['', 'var', 'log', '{nginx/access,apache2/error}.log']);
});

test('character classes: ranges, negation with ! or ^, POSIX classes, never a /', () => {
  assert.ok(globSegmentRegExp('app[abc].log').test('appb.log'));
  assert.ok(!globSegmentRegExp('app[abc].log').test('appd.log'));
  assert.ok(globSegmentRegExp('app[!0-9].log').test('appx.log'));
  assert.ok(!globSegmentRegExp('app[^0-9].log').test('app7.log'));
  assert.ok(globSegmentRegExp('app[[:digit:]].log').test('app7.log'));
  assert.ok(!globSegmentRegExp('app[[:digit:]].log').test('appx.log'));
  assert.ok(!globSegmentRegExp('a[!x]b').test('a/b'));
  assert.ok(!globSegmentRegExp('a?b').test('a/b'));
});

test('escapes: a backslash takes the next glob character literally', () => {
  assert.ok(globSegmentRegExp('star\\*.log').test('star*.log'));
  assert.ok(!globSegmentRegExp('star\\*.log').test('starry.log'));
  assert.ok(globSegmentRegExp('what\\?.log').test('what?.log'));
  assert.ok(!globSegmentRegExp('what\\?.log').test('whats.log'));
  assert.ok(globSegmentRegExp('\\[x\\]-*.log').test('[x]-1.log'));
  assert.ok(globSegmentRegExp('\\{a,b\\}*').test('{a,b}.log'));
  assert.ok(!globSegmentRegExp('\\{a,b\\}*').test('a.log'));
});

test('a segment without glob characters is literal; parentheses, !, +, @ and | are always literal', () => {
  assert.equal(globPattern('/var/log/app(1)/*.log'), '/var/log/app\\(1\\)/*.log');
  assert.ok(globSegmentRegExp('app(1)-*.log').test('app(1)-x.log'));
  assert.ok(!globSegmentRegExp('app(1)-*.log').test('app1-x.log'));
  assert.ok(globSegmentRegExp('!important*.log').test('!important.log'), 'no negation');
  assert.ok(globSegmentRegExp('+(a)*').test('+(a).log'), 'no extglob');
  assert.ok(globSegmentRegExp('a|b*').test('a|b.log'));
  assert.ok(!globSegmentRegExp('a|b*').test('b.log'));
  assert.ok(globSegmentRegExp('*.log').test('.hidden.log'), '* matches a leading dot, as before');
});
