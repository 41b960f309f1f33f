import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError, usageMessage } from './usage-error.ts';

test("commander's messages in Vigil's words", () => {
  assert.equal(usageMessage("error: unknown option '--levle'\n(Did you mean --level?)"), "unknown option '--levle': did you mean --level?");
  assert.equal(usageMessage("error: unknown command 'alrets'\n(Did you mean alerts?)"), "unknown command 'alrets': did you mean alerts?");
  assert.equal(usageMessage("error: unknown command 'x'\n(Did you mean one of api, sca?)"), "unknown command 'x': did you mean one of api, sca?");
  assert.equal(usageMessage("error: option '--limit <n>' argument 'all' is invalid. 'all' is not a whole number."), "--limit: 'all' is not a whole number.");
  assert.equal(usageMessage("error: required option '--agent <id|name>' not specified"), "required option '--agent <id|name>' not specified");
});

test('a usage error names the command and where its help is', () => {
  assert.equal(new UsageError('vigil sca', "unknown option '--x'").render(), "vigil sca: unknown option '--x'\nRun 'vigil sca --help' for its options.");
  assert.equal(new UsageError('vigil', "unknown command 'x'").render(), "vigil: unknown command 'x'\nRun 'vigil --help' for the commands and options.");
});
