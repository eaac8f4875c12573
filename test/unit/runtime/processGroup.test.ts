// The runner's process-group bookkeeping: /proc stat parsing (command names with spaces and
// parentheses), the user-facing note, and listing a real group.

import { spawn } from 'node:child_process';
import { describeEnded, groupMembers, parseStat, signalGroup } from '../../../kernel/src/runtime/processGroup';

const STAT_TAIL = '0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 100 18446744073709551615';

test('parseStat reads pid, state, ppid, group and start time, whatever the command name holds', () => {
  expect(parseStat(`1234 (sleep) S 1200 1200 1200 ${STAT_TAIL}`)).toEqual({ pid: 1234, comm: 'sleep', state: 'S', ppid: 1200, pgrp: 1200, starttime: 123456 });
  expect(parseStat(`77 (a) b (c)) Z 1 70 70 ${STAT_TAIL}`)).toMatchObject({ pid: 77, comm: 'a) b (c)', state: 'Z', ppid: 1, pgrp: 70 });
  expect(parseStat('garbage')).toBeUndefined();
  expect(parseStat('12 (x) S y z')).toBeUndefined();
});

test('describeEnded names each process with its pid, singular and plural, and caps the list', () => {
  expect(describeEnded([{ pid: 1234, command: 'sleep 300' }])).toBe('ended 1 process started by earlier cells: sleep 300 (pid 1234)');
  const many = Array.from({ length: 7 }, (_, i) => ({ pid: 10 + i, command: `p${i}` }));
  const text = describeEnded(many, 'cells');
  expect(text).toMatch(/^ended 7 processes started by cells: p0 \(pid 10\), .*p4 \(pid 14\), and 2 more$/);
  expect(describeEnded([{ pid: 1, command: 'x'.repeat(200) }]).length).toBeLessThan(140);
});

test('signalGroup refuses the special ids 0 and 1 (own group, everyone)', () => {
  expect(signalGroup(0, 'SIGKILL')).toBe(false);
  expect(signalGroup(1, 'SIGKILL')).toBe(false);
});

(process.platform === 'linux' ? test : test.skip)('groupMembers lists a real detached group with command lines; signalGroup ends it', async () => {
  const leader = spawn('sh', ['-c', 'sleep 300 & sleep 301 & wait'], { detached: true, stdio: 'ignore' });
  const exited = new Promise((r) => leader.once('exit', r));
  try {
    const deadline = Date.now() + 5000;
    // A forked child shows the shell's command line until it has exec'd sleep: wait for both sleeps.
    const both = (ms: { command: string }[]): boolean => ['sleep 300', 'sleep 301'].every((c) => ms.some((m) => m.command === c));
    let members = groupMembers(leader.pid!);
    while (!both(members) && Date.now() < deadline) {
      await new Promise((r) => setImmediate(r));
      members = groupMembers(leader.pid!);
    }
    expect(members.map((m) => m.command)).toEqual(expect.arrayContaining(['sleep 300', 'sleep 301']));
    expect(members.map((m) => m.pid)).toContain(leader.pid);
  } finally {
    expect(signalGroup(leader.pid!, 'SIGKILL')).toBe(true);
  }
  await exited;
  const deadline = Date.now() + 5000;
  while (groupMembers(leader.pid!).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(groupMembers(leader.pid!)).toEqual([]);
});
