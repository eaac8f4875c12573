// Breakpoint condition compilation: hit conditions, logpoint messages, syntax checks, and the
// compiled V8 condition evaluated the way V8 does (as an expression in the paused scope).

import * as vm from 'node:vm';
import { compileCondition, hitTest, parseLogMessage, resetHitsExpression } from '../../../kernel/src/debugger/breakpoints/conditions';

describe('hitTest', () => {
  test.each([
    ['3', 'n >= 3'],
    ['>= 3', 'n >= 3'],
    ['>3', 'n > 3'],
    ['<3', 'n < 3'],
    ['<=3', 'n <= 3'],
    ['==3', 'n === 3'],
    ['=3', 'n === 3'],
    ['===3', 'n === 3'],
    ['%2', 'n % 2 === 0'],
    ['%0', 'false'],
  ])('%s -> %s', (input, out) => expect(hitTest(input)).toBe(out));
  test.each(['', 'x', '>= -1', '1.5', '> 3 4'])('rejects %j', (input) => expect(hitTest(input)).toBeUndefined());
});

describe('parseLogMessage', () => {
  test('holes become %s arguments, literal % is escaped', () => {
    expect(parseLogMessage('x={x} y={ a.b } 100%')).toEqual({ format: 'x=%s y=%s 100%%', args: ['x', 'a.b'] });
  });
  test('nested braces stay inside one expression', () => {
    expect(parseLogMessage('v={ {a: 1}.a }')).toEqual({ format: 'v=%s', args: ['{a: 1}.a'] });
  });
  test('unterminated hole is literal text', () => {
    expect(parseLogMessage('oops {x')).toEqual({ format: 'oops {x', args: [] });
  });
});

/** Evaluates a compiled condition in a fresh context with given locals, like V8 in the paused frame. */
function evalCondition(condition: string, locals: Record<string, unknown>, logs: unknown[][] = []): boolean {
  const ctx = vm.createContext({ ...locals, console: { log: (...a: unknown[]) => logs.push(a) } });
  return Boolean(vm.runInContext(condition, ctx));
}

describe('compileCondition', () => {
  test('empty options: unconditional', () => {
    expect(compileCondition({}, '1')).toEqual({ condition: '' });
  });

  test('condition errors count as false', () => {
    const { condition } = compileCondition({ condition: 'missing.prop > 1' }, '1');
    expect(evalCondition(condition, {})).toBe(false);
    expect(evalCondition(compileCondition({ condition: 'i === 5' }, '1').condition, { i: 5 })).toBe(true);
  });

  test('syntax errors are reported, not compiled', () => {
    expect(compileCondition({ condition: 'i ===' }, '1').error).toMatch(/^Invalid condition 'i ===':/);
    expect(compileCondition({ logMessage: 'x={x +}' }, '1').error).toMatch(/Invalid logpoint expression/);
    expect(compileCondition({ hitCondition: 'often' }, '1').error).toMatch(/Invalid hit condition/);
  });

  test('hit counts live in the debuggee, per key, and only count when the condition holds', () => {
    const { condition } = compileCondition({ condition: 'i % 2 === 0', hitCondition: '==2' }, '7');
    const ctx = vm.createContext({ i: 0 });
    const results: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      ctx.i = i;
      results.push(Boolean(vm.runInContext(condition, ctx)));
    }
    // Even i are 0, 2, 4: the 2nd time the condition holds is i = 2.
    expect(results).toEqual([false, false, true, false, false, false]);
    vm.runInContext(resetHitsExpression(['7']), ctx);
    ctx.i = 0;
    expect(Boolean(vm.runInContext(condition, ctx))).toBe(false);
    ctx.i = 2;
    expect(Boolean(vm.runInContext(condition, ctx))).toBe(true);
  });

  test('logpoints log with the frame values and never pause; expression errors are logged', () => {
    const logs: unknown[][] = [];
    const { condition } = compileCondition({ logMessage: 'k={k} bad={nope.x}' }, '1');
    expect(evalCondition(condition, { k: 3 }, logs)).toBe(false);
    expect(logs).toHaveLength(1);
    expect(logs[0][0]).toBe('k=%s bad=%s');
    expect(logs[0][1]).toBe(3);
    expect(String(logs[0][2])).toMatch(/nope is not defined/);
  });
});
