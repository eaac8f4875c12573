// Which parent the kernel watches (JPY_PARENT_PID as ipykernel reads it, else the parent at
// start-up, never pid 1) and when a poll declares it gone, with a scripted probe.

import { parentCheck, parentToWatch, systemProbe, type ParentProbe } from '../../../kernel/src/app/parentWatch';

test('JPY_PARENT_PID wins when set; empty, 0 or junk fall back to the parent; pid 1 is never watched', () => {
  expect(parentToWatch({ JPY_PARENT_PID: '4321' }, 99)).toBe(4321);
  expect(parentToWatch({ JPY_PARENT_PID: ' 4321 ' }, 99)).toBe(4321);
  expect(parentToWatch({}, 99)).toBe(99);
  expect(parentToWatch({ JPY_PARENT_PID: '' }, 99)).toBe(99);
  expect(parentToWatch({ JPY_PARENT_PID: '0' }, 99)).toBe(99);
  expect(parentToWatch({ JPY_PARENT_PID: 'abc' }, 99)).toBe(99);
  expect(parentToWatch({}, 1)).toBeUndefined();
  expect(parentToWatch({ JPY_PARENT_PID: '1' }, 99)).toBeUndefined();
  expect(parentToWatch({ JPY_PARENT_PID: '0' }, 1)).toBeUndefined();
});

function scripted(state: { alive: boolean; identity?: string; ppid: number }): ParentProbe {
  return { alive: () => state.alive, identity: () => state.identity, ppid: () => state.ppid };
}

test('our own parent is gone when we are re-parented, even if its pid still answers', () => {
  const s = { alive: true, identity: 't1', ppid: 50 };
  const check = parentCheck(50, scripted(s));
  expect(check()).toBeUndefined();
  s.ppid = 1;
  expect(check()).toMatch(/parent process 50 exited \(re-parented to 1\)/);
});

test('another process (JPY_PARENT_PID) is gone when it no longer exists or its pid was reused', () => {
  const s = { alive: true, identity: 't1', ppid: 7 };
  const check = parentCheck(50, scripted(s));
  expect(check()).toBeUndefined();
  s.identity = 't2';
  expect(check()).toMatch(/reused/);
  s.alive = false;
  expect(check()).toMatch(/parent process 50 exited$/);
});

test('the system probe sees this process as alive with a stable identity, and a free pid as gone', () => {
  expect(systemProbe.alive(process.pid)).toBe(true);
  expect(systemProbe.identity(process.pid)).toBe(systemProbe.identity(process.pid));
  expect(systemProbe.ppid()).toBe(process.ppid);
  // Above the kernel's pid_max (4194304 at most): never a process.
  expect(systemProbe.alive(4194305)).toBe(false);
});
