// Output routing: ids map to the request that caused them; only executions become "latest"
// (where attached processes' output shows); old routes are forgotten beyond a bound.

import { OutputRoutes } from '../../../kernel/src/core/outputRoutes';
import { request } from '../doubles/recordingMessenger';

test('each opened id routes to its request; comm messages are routed but never the latest execution', () => {
  const routes = new OutputRoutes();
  const cell = request('execute_request', { code: '1' });
  const comm = request('comm_msg', { comm_id: 'c' });
  const a = routes.open(cell);
  const b = routes.open(comm);
  expect(a).not.toBe(b);
  expect(routes.parent(a)).toEqual(cell.header);
  // A route keeps who asked (stdin goes back to that frontend) and the header, not the content.
  expect(routes.request(b)).toMatchObject({ identities: comm.identities, header: comm.header, content: {} });
  expect(routes.latest()).toMatchObject({ identities: cell.identities, header: cell.header });
  expect(routes.parent(999)).toBeUndefined();
});

test('routes older than the last 2000 are forgotten, newer ones kept', () => {
  const routes = new OutputRoutes();
  const first = routes.open(request('execute_request'));
  let last = first;
  for (let i = 0; i < 2000; i++) last = routes.open(request('execute_request'));
  expect(routes.parent(first)).toBeUndefined();
  expect(routes.parent(first + 1)).toBeDefined();
  expect(routes.parent(last)).toBeDefined();
});

test('routes of one client share its identities; each client keeps its own (stdin goes back to it)', () => {
  const routes = new OutputRoutes();
  const fromA = (code: string) => ({ ...request('execute_request', { code }), identities: [Buffer.from('client-A')] });
  const a1 = routes.open(fromA('1'));
  const a2 = routes.open(fromA('2'));
  const b = routes.open({ ...request('execute_request'), identities: [Buffer.from('client-B')] });
  const a3 = routes.open(fromA('3'));
  expect(routes.request(a2)?.identities).toBe(routes.request(a1)?.identities);
  expect(routes.request(b)?.identities.map(String)).toEqual(['client-B']);
  expect(routes.request(a3)?.identities.map(String)).toEqual(['client-A']);
  expect(routes.request(a1)?.identities.map(String)).toEqual(['client-A']);
  // The header is the request's own, field for field.
  const req = request('comm_msg', {}, 'another-session');
  expect(routes.parent(routes.open(req))).toEqual(req.header);
});
