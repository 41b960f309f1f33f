import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globSegmentRegExp, hasGlob } from './glob-pattern.ts';

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
