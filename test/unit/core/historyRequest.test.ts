// history_request content comes off the wire untyped: readHistoryRequest reads it without a cast,
// the way the History queried it before (numbers as Number() reads them, null = missing), and
// content that is not what the fields say gets the defaults instead of an error.

import { History, readHistoryRequest } from '../../../kernel/src/core/history';

function history(): History {
  const h = new History(null);
  h.add(1, 'a = 1');
  h.add(2, 'b = 2', '2');
  h.add(3, 'a = 1');
  return h;
}

test('what jupyter_client sends is read as sent', () => {
  expect(readHistoryRequest({ hist_access_type: 'range', session: 0, start: 1, stop: 3, output: true, raw: true })).toEqual({
    hist_access_type: 'range',
    session: 0,
    start: 1,
    stop: 3,
    output: true,
    raw: true,
    unique: false,
  });
});

test('numbers sent as strings count, null is missing, a pattern that is not a string is ignored', () => {
  const h = history();
  expect(h.query(readHistoryRequest({ hist_access_type: 'tail', n: '2' }))).toEqual([
    [h.session, 2, 'b = 2'],
    [h.session, 3, 'a = 1'],
  ]);
  expect(h.query(readHistoryRequest({ hist_access_type: 'range', session: null, start: 2, stop: null, output: 1 }))).toEqual([
    [h.session, 2, ['b = 2', '2']],
    [h.session, 3, ['a = 1', null]],
  ]);
  expect(h.query(readHistoryRequest({ hist_access_type: 'search', pattern: 42, unique: true }))).toEqual([
    [h.session, 2, 'b = 2'],
    [h.session, 3, 'a = 1'],
  ]);
});

test('no access type means tail (10); an unknown one gets no rows', () => {
  const h = history();
  expect(h.query(readHistoryRequest({}))).toHaveLength(3);
  expect(h.query(readHistoryRequest({ hist_access_type: 'everything' }))).toEqual([]);
});
