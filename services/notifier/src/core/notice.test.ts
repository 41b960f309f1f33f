import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fimAlert, scaAlert, sshdAlert } from '../../test/fixtures/alerts.ts';
import { singleItem } from './fold-window.ts';
import { composeNotice, nextNotice } from './notice.ts';

test('the highest level leads; everything else queued is folded in by rule and agent, none dropped', () => {
  const queue = [
    singleItem(sshdAlert({ id: 's1' })),
    singleItem(scaAlert({ id: 'c1', rule: { level: 10 } })),
    singleItem(sshdAlert({ id: 's2' })),
    singleItem(fimAlert({ id: 'f1' })),
    singleItem(scaAlert({ id: 'c2', rule: { level: 10 } })),
  ];
  assert.deepEqual(composeNotice(queue), {
    lead: scaAlert({ id: 'c1', rule: { level: 10 } }),
    repeats: 1,
    windowFold: false,
    firstTimestamp: '2024-05-10T13:00:00.000+0000',
    lastTimestamp: '2024-05-10T13:00:00.000+0000',
    folded: [
      { ruleId: '19007', level: 10, description: scaAlert().rule.description, agentId: '003', agentName: 'bastion', count: 1 },
      { ruleId: '550', level: 7, description: 'Integrity checksum changed.', agentId: '002', agentName: 'db01', count: 1 },
      { ruleId: '5710', level: 5, description: sshdAlert().rule.description, agentId: '001', agentName: 'web01', count: 2 },
    ],
    foldedCount: 4,
    alertIds: ['c1', 's1', 's2', 'f1', 'c2'],
  });
});

test('a single queued item is a plain notice', () => {
  const n = composeNotice([singleItem(sshdAlert())]);
  assert.equal(n.foldedCount, 0);
  assert.deepEqual(n.folded, []);
  assert.throws(() => composeNotice([]));
});

test('nextNotice: one message per item while tokens are to spare; the last token carries the rest folded', () => {
  const queue = [singleItem(sshdAlert({ id: 'q1' })), singleItem(fimAlert({ id: 'q2' })), singleItem(scaAlert({ id: 'q3' }))];
  const spare = nextNotice(queue, 3);
  assert.deepEqual(spare.notice.alertIds, ['q1']);
  assert.equal(spare.notice.foldedCount, 0);
  assert.deepEqual(spare.rest, queue.slice(1));
  const last = nextNotice(queue, 1);
  assert.deepEqual(last.notice.alertIds, ['q2', 'q1', 'q3']);
  assert.equal(last.notice.foldedCount, 2);
  assert.deepEqual(last.rest, []);
  assert.deepEqual(nextNotice(queue.slice(2), 1).notice.alertIds, ['q3']);
});
