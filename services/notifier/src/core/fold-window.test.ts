import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fimAlert, sshdAlert } from '../../test/fixtures/alerts.ts';
import { admitAlert, closeDueWindows, emptyFoldState, heldInWindows, nextWindowClose, singleItem } from './fold-window.ts';

test('the first alert of a rule on an agent is ready at once; the rest of the window is folded into one item', () => {
  const state = emptyFoldState();
  const a = (n: number) => sshdAlert({ id: `a${n}`, timestamp: `t${n}` });
  assert.deepEqual(admitAlert(state, a(1), 1000, 500), singleItem(a(1)));
  assert.equal(admitAlert(state, a(2), 1100, 500), undefined);
  assert.equal(admitAlert(state, a(3), 1200, 500), undefined);
  const other = fimAlert({ id: 'f1' });
  assert.deepEqual(admitAlert(state, other, 1300, 500), singleItem(other), 'another rule/agent has its own window');
  assert.equal(heldInWindows(state), 2);
  assert.equal(nextWindowClose(state), 1500);
  assert.deepEqual(closeDueWindows(state, 1499, 500), []);
  assert.deepEqual(closeDueWindows(state, 1500, 500), [
    {
      key: '5710@001/1.2.3.4',
      lead: a(3),
      count: 2,
      folded: true,
      alertIds: ['a2', 'a3'],
      firstTimestamp: 't2',
      lastTimestamp: 't3',
      tally: { srcip: { '1.2.3.4': 2 }, srcuser: { admin: 2 } },
    },
  ]);
  assert.deepEqual(
    state.windows['5710@001/1.2.3.4'],
    { closesAt: 2000, lead: undefined, alertIds: [], firstTimestamp: '', tally: {} },
    'the window opens again',
  );
  assert.equal(admitAlert(state, a(4), 1600, 500), undefined, 'still folded: the storm goes on');
  assert.deepEqual(closeDueWindows(state, 2000, 500).map((i) => i.alertIds), [['a4']]);
  assert.deepEqual(closeDueWindows(state, 2500, 500), []);
  assert.deepEqual(Object.keys(state.windows), [], 'quiet windows are forgotten');
  assert.deepEqual(admitAlert(state, a(5), 2600, 500), singleItem(a(5)), 'after a quiet window, posted at once again');
});

test('a window of 0 folds nothing', () => {
  const state = emptyFoldState();
  assert.deepEqual(admitAlert(state, sshdAlert({ id: 'x' }), 0, 0), singleItem(sshdAlert({ id: 'x' })));
  assert.deepEqual(admitAlert(state, sshdAlert({ id: 'y' }), 1, 0), singleItem(sshdAlert({ id: 'y' })));
  assert.deepEqual(state, emptyFoldState());
});

test('a second attacker on the same rule and agent is paged on its own, and a window tallies the users it folded', () => {
  const state = emptyFoldState();
  const from = (id: string, srcip: string, srcuser: string) => sshdAlert({ id, data: { srcip, srcuser } });
  assert.deepEqual(admitAlert(state, from('a1', '1.2.3.4', 'admin'), 0, 500), singleItem(from('a1', '1.2.3.4', 'admin')));
  assert.equal(admitAlert(state, from('a2', '1.2.3.4', 'root'), 10, 500), undefined);
  assert.equal(admitAlert(state, from('a3', '1.2.3.4', 'root'), 20, 500), undefined);
  const second = from('b1', '5.6.7.8', 'admin');
  assert.deepEqual(admitAlert(state, second, 30, 500), singleItem(second), 'another source IP is not folded into the first');
  assert.equal(admitAlert(state, from('b2', '5.6.7.8', 'oracle'), 40, 500), undefined);
  const closed = closeDueWindows(state, 600, 500);
  assert.deepEqual(
    closed.map((i) => [i.key, i.alertIds, i.tally]),
    [
      ['5710@001/1.2.3.4', ['a2', 'a3'], { srcip: { '1.2.3.4': 2 }, srcuser: { root: 2 } }],
      ['5710@001/5.6.7.8', ['b2'], { srcip: { '5.6.7.8': 1 }, srcuser: { oracle: 1 } }],
    ],
  );
});
