import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fimAlert, scaAlert, sshdAlert } from '../../test/fixtures/alerts.ts';
import { singleItem } from './fold-window.ts';
import { composeNotice, nextNotice } from './notice.ts';

test('the highest level leads; the other queued items of its rule and source are folded in by agent, with a tally', () => {
  const queue = [
    singleItem(sshdAlert({ id: 's1', timestamp: '2024-05-10T12:00:02.000+0000' })),
    singleItem(sshdAlert({ id: 's2', rule: { level: 8 }, agent: { id: '005', name: 'web05' }, timestamp: '2024-05-10T12:00:03.000+0000' })),
    singleItem(sshdAlert({ id: 's3', data: { srcip: '1.2.3.4', srcuser: 'root' }, timestamp: '2024-05-10T12:00:01.000+0000' })),
  ];
  assert.deepEqual(composeNotice(queue), {
    lead: sshdAlert({ id: 's2', rule: { level: 8 }, agent: { id: '005', name: 'web05' }, timestamp: '2024-05-10T12:00:03.000+0000' }),
    repeats: 1,
    windowFold: false,
    firstTimestamp: '2024-05-10T12:00:03.000+0000',
    lastTimestamp: '2024-05-10T12:00:03.000+0000',
    folded: [{ ruleId: '5710', level: 5, description: sshdAlert().rule.description, agentId: '001', agentName: 'web01', count: 2 }],
    foldedCount: 2,
    alertIds: ['s2', 's1', 's3'],
    tally: { srcip: { '1.2.3.4': 3 }, srcuser: { admin: 2, root: 1 } },
    span: { first: '2024-05-10T12:00:01.000+0000', last: '2024-05-10T12:00:03.000+0000' },
  });
});

test('a single queued item is a plain notice', () => {
  const n = composeNotice([singleItem(sshdAlert())]);
  assert.equal(n.foldedCount, 0);
  assert.deepEqual(n.folded, []);
  assert.throws(() => composeNotice([]));
});

test('nextNotice: one message per item while tokens are to spare; the last token folds only the same rule and source', () => {
  const queue = [singleItem(sshdAlert({ id: 'q1' })), singleItem(fimAlert({ id: 'q2' })), singleItem(scaAlert({ id: 'q3' }))];
  const spare = nextNotice(queue, 3);
  assert.deepEqual(spare.notice.alertIds, ['q1']);
  assert.equal(spare.notice.foldedCount, 0);
  assert.deepEqual(spare.rest, queue.slice(1));
  const last = nextNotice(queue, 1);
  assert.deepEqual(last.notice.alertIds, ['q2'], 'the highest level, alone: other rules are never merged into it');
  assert.deepEqual(last.rest, [queue[0], queue[2]]);
  assert.deepEqual(nextNotice(queue.slice(2), 1).notice.alertIds, ['q3']);
});

test('nextNotice: a second attacker on the same rule waits for its own message', () => {
  const first = singleItem(sshdAlert({ id: 'x1' }));
  const again = singleItem(sshdAlert({ id: 'x2', agent: { id: '007', name: 'web07' } }));
  const other = singleItem(sshdAlert({ id: 'y1', data: { srcip: '5.6.7.8', srcuser: 'root' } }));
  const { notice, rest } = nextNotice([first, other, again], 1);
  assert.deepEqual(notice.alertIds, ['x1', 'x2']);
  assert.deepEqual(notice.tally, { srcip: { '1.2.3.4': 2 }, srcuser: { admin: 2 } });
  assert.deepEqual(rest, [other]);
  assert.deepEqual(nextNotice(rest, 1).notice.alertIds, ['y1']);
});
