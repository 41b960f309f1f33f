import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FOUND, INVALID, matchLine, NOT_FOUND, toLines } from './match-pattern.ts';
import { parsePattern } from './parse-rule.ts';

const m = (pattern: string, line: string) => matchLine(parsePattern(pattern), line, 'osregex');

test('minterms joined by && must all hold on the same line; ! negates one minterm', () => {
  assert.equal(m('r:^PermitRootLogin && r:no$', 'PermitRootLogin no').value, FOUND);
  assert.equal(m('!r:^# && r:PermitRootLogin', '# PermitRootLogin no').value, NOT_FOUND);
  assert.equal(m('!r:^# && r:PermitRootLogin', 'PermitRootLogin no').value, FOUND);
  assert.equal(m('root:x:0:0', 'ROOT:X:0:0').value, FOUND, 'a literal is the whole line, compared case-insensitively');
  assert.equal(m('root', 'root:x:0:0').value, NOT_FOUND);
});

test("n: compares the first capture; operators as Wazuh reads them ('=' first means equality)", () => {
  const cases: Array<[string, string, number]> = [
    ['n:^MaxAuthTries\\s+(\\d+) compare <= 4', 'MaxAuthTries 4', FOUND],
    ['n:^MaxAuthTries\\s+(\\d+) compare < 4', 'MaxAuthTries 4', NOT_FOUND],
    ['n:^x=(\\d+) compare >= 5', 'x=7', FOUND],
    ['n:^x=(\\d+) compare > 7', 'x=7', NOT_FOUND],
    ['n:^x=(\\d+) compare == 7', 'x=7', FOUND],
    ['n:^x=(\\d+) compare != 7', 'x=7', NOT_FOUND],
    ['n:^x=(\\d+) compare \\!= 7', 'x=8', FOUND],
    ['n:^x=(\\d+) compare =< 5', 'x=3', NOT_FOUND],
    ['n:^x=(\\d+) compare =< 5', 'x=5', FOUND],
    ['n:^x=(\\d+) compare => 2', 'x=9', NOT_FOUND],
    ['n:^x=(\\d+) compare = 2', 'x=2', FOUND],
    ['n:^x=(\\d+) compare compare <= 3', 'x=3', FOUND],
    ['n:^y=(\\d+) compare <= 3', 'x=3', NOT_FOUND],
  ];
  for (const [pattern, line, want] of cases) assert.equal(m(pattern, line).value, want, `${pattern} on ${line}`);
});

test('n: rules that cannot be decided are not applicable, with the reason', () => {
  assert.deepEqual(m('n:^x=(\\d+) <= 3', 'x=3'), { value: INVALID, reason: "Keyword 'compare' not found in '^x=(\\d+) <= 3': write 'n:<regex with a group> compare <op> <number>'" });
  assert.deepEqual(m('n:^x=\\d+ compare <= 3', 'x=3'), { value: INVALID, reason: "Regex '^x=\\d+' matched, but no string was captured by it" });
  assert.deepEqual(m('n:^x=(\\S+) compare <= 3', 'x=abc'), { value: INVALID, reason: "Conversion error. Cannot convert 'abc' to integer" });
  assert.deepEqual(m('n:^x=(\\d+) compare ~ three', 'x=3'), { value: INVALID, reason: "No integer was found within the comparison '~ three'" });
  assert.deepEqual(m('n:^x=(\\d+) compare ~ 3', 'x=3'), { value: INVALID, reason: "Unrecognized operation: '~ 3'" });
  assert.equal(m('!n:^x=(\\d+) compare ~ 3', 'x=3').value, 3, 'a negated undecidable term is neither found nor not applicable (Wazuh: 2 ^ 1)');
});

test('lines are split as fgets and CR/LF trimming would', () => {
  assert.deepEqual(toLines(''), []);
  assert.deepEqual(toLines('a\r\nb\n\nc'), ['a', 'b', '', 'c']);
});
