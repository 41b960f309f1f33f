import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cjsonPrint, formatG, formatJsonNumber } from './cjson-format.ts';
import { firstJsonValueEnd } from './json-decoder.ts';

test('JSON numbers as decoded fields: %i when they fit an int, %f otherwise (saturation beyond 32 bits)', () => {
  assert.equal(formatJsonNumber(42), '42');
  assert.equal(formatJsonNumber(-2147483648), '-2147483648');
  assert.equal(formatJsonNumber(1.5), '1.500000');
  assert.equal(formatJsonNumber(3000000000), '3000000000.000000');
  assert.equal(formatJsonNumber(1e21), '1000000000000000000000.000000');
});

test('C %g formatting', () => {
  assert.equal(formatG(0.1, 15), '0.1');
  assert.equal(formatG(3000000000, 15), '3000000000');
  assert.equal(formatG(1e-5, 15), '1e-05');
  assert.equal(formatG(1.5e20, 15), '1.5e+20');
});

test('arrays print as cJSON_Print prints them', () => {
  assert.equal(cjsonPrint(['a', 2, true, null]), '["a", 2, true, null]');
  assert.equal(cjsonPrint([]), '[]');
  assert.equal(cjsonPrint([{ a: 1, b: 'x' }]), '[{\n\t\t"a":\t1,\n\t\t"b":\t"x"\n\t}]');
  assert.equal(cjsonPrint(['q"\\\n']), '["q\\"\\\\\\n"]');
  assert.deepEqual(JSON.parse(cjsonPrint([{ a: [1, { b: 2 }] }])), [{ a: [1, { b: 2 }] }]);
});

test('the first JSON value ends where its braces close; strings may hold braces', () => {
  assert.equal(firstJsonValueEnd('{"a":"}"} tail', 0), 9);
  assert.equal(firstJsonValueEnd('  [1,[2]] x', 0), 9);
  assert.equal(firstJsonValueEnd('{"a":', 0), -1);
  assert.equal(firstJsonValueEnd('plain', 0), -1);
});
