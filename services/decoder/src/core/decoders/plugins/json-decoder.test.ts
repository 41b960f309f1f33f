import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDecoders } from '../load-decoders.ts';
import type { CompiledDecoder } from '../decoder-types.ts';
import type { DecodedFields } from '../decoded-fields.ts';
import { decodeJson, firstJsonValueEnd } from './json-decoder.ts';

const owner = loadDecoders([{ file: 'fixture.xml', text: '<decoder name="json"><plugin_decoder>JSON_Decoder</plugin_decoder></decoder>' }]).set
  .withoutProgramName[0] as CompiledDecoder;

function fields(text: string, from = 0): DecodedFields {
  const out: DecodedFields = {};
  decodeJson(text, from, out, owner);
  return out;
}

test('the first JSON value ends at its closing brace: escaped quotes and backslashes inside strings are skipped', () => {
  assert.equal(firstJsonValueEnd('{"a":"\\"}"} x', 0), 11);
  assert.equal(firstJsonValueEnd('{"a":"\\\\"} x', 0), 10);
  assert.equal(firstJsonValueEnd('{"a":"x\\', 0), -1);
  assert.equal(firstJsonValueEnd('{"a":"}', 0), -1);
  assert.equal(firstJsonValueEnd(' \t\r\n{"{":["]"]}', 0), 15);
  assert.equal(firstJsonValueEnd('x {}', 1), 4);
  assert.equal(firstJsonValueEnd('', 0), -1);
});

test('JSON_Decoder: what follows the first object is ignored, white space before it too; other values give nothing', () => {
  assert.deepEqual(fields('{"a":1}'), { a: '1' });
  assert.deepEqual(fields('  {"a":1}  \n'), { a: '1' });
  assert.deepEqual(fields('{"a":1} {"b":2}'), { a: '1' });
  assert.deepEqual(fields('{"a":{"b":"}"}}, tail'), { 'a.b': '}' });
  assert.deepEqual(fields('prefix: {"a":"x"}', 7), { a: 'x' });
  assert.deepEqual(fields('prefix: {"a":"x"}', 6), {}, 'a non-white-space character before the object');
  assert.deepEqual(fields('[{"a":1}]'), {});
  assert.deepEqual(fields('"text"'), {});
  assert.deepEqual(fields('{"a":1,}'), {}, 'invalid JSON');
  assert.deepEqual(fields('{"a":1,} tail'), {});
  assert.deepEqual(fields('{"a":'), {});
});

test('JSON_Decoder: ignoring the text after the first object gives the fields of the object alone', () => {
  const objects = ['{"a":{"b":[1,{"c":null}],"d":"x\\"}"},"srcip":"1.2.3.4"}', '{"user":"u","x":{"user":"v"},"dstuser":"w"}', '{"n":-0.5,"t":true,"e":{}}'];
  const tails = ['', ' ', '\n', ' trailing', '}', ' {"z":1}', ']', 'x"'];
  for (const o of objects) {
    for (const t of tails) {
      const text = ` ${o}${t}`;
      const end = firstJsonValueEnd(text, 0);
      assert.equal(end, o.length + 1);
      assert.deepEqual(fields(text), fields(text.slice(0, end)), text);
    }
  }
});

test('JSON_Decoder: keys named like Object.prototype members are ordinary dynamic fields', () => {
  assert.deepEqual(fields('{"constructor":"c","toString":"t","hasOwnProperty":"h","srcip":"10.0.0.1"}'), {
    srcip: '10.0.0.1', constructor: 'c', toString: 't', hasOwnProperty: 'h',
  });
});
