import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadVigilConfig } from '../config.ts';
import { dashboardLogtest } from './dashboard-logtest.ts';

test("the dashboard's rule testing prints what vigil logtest prints, over the configuration's rulesets", { timeout: 60_000 }, async () => {
  const logtest = dashboardLogtest(loadVigilConfig(undefined, {}));
  const result = await logtest('Dec 10 01:02:03 web01 sshd[1234]: Failed password for root from 203.0.113.7 port 52113 ssh2\n');
  assert.equal(result.exitCode, 0);
  assert.match(result.output, /\*\*Phase 1: Completed pre-decoding\.\n\tfull event: 'Dec 10 01:02:03 web01 sshd\[1234\]: Failed password for root/);
  assert.match(result.output, /\*\*Phase 2: Completed decoding\.\n\tname: 'vigil-sshd'/);
  assert.match(result.output, /\tsrcip: '203\.0\.113\.7'/);
  assert.match(result.output, /\*\*Phase 3: Completed filtering \(rules\)\.\n\tid: '200103'\n\tlevel: '10'/);
  assert.match(result.messages, /^logtest: \d+ decoders/);
});
