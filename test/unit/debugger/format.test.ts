// How values look in JupyterLab's Variables panel: Python-shaped type names for primitives,
// class names for objects, previews, function signatures, child expressions.

import type { Protocol } from 'devtools-protocol';
import { childExpression, collectionSize, formatPreview, functionSignature, quoteString, showRemote, wantsPreview } from '../../../kernel/src/debugger/variables/format';

type R = Protocol.Runtime.RemoteObject;

test.each<[R, string, string | undefined]>([
  [{ type: 'number', value: 42, description: '42' }, '42', 'int'],
  [{ type: 'number', value: -3, description: '-3' }, '-3', 'int'],
  [{ type: 'number', value: 1.5, description: '1.5' }, '1.5', 'float'],
  [{ type: 'number', value: 2 ** 60, description: '1152921504606846976' }, '1152921504606846976', 'float'],
  [{ type: 'number', unserializableValue: 'NaN', description: 'NaN' }, 'NaN', 'float'],
  [{ type: 'number', unserializableValue: '-Infinity', description: '-Infinity' }, '-Infinity', 'float'],
  [{ type: 'number', unserializableValue: '-0', description: '-0' }, '-0', 'float'],
  [{ type: 'string', value: "it's\n" }, "'it\\'s\\n'", 'str'],
  [{ type: 'boolean', value: false }, 'false', 'bool'],
  [{ type: 'undefined' }, 'undefined', 'undefined'],
  [{ type: 'object', subtype: 'null', value: null }, 'null', 'null'],
  [{ type: 'bigint', unserializableValue: '10n', description: '10n' }, '10n', undefined],
  [{ type: 'symbol', description: 'Symbol(t)', objectId: '1' }, 'Symbol(t)', undefined],
])('showRemote(%j)', (obj, value, type) => {
  const s = showRemote(obj);
  expect(s.value).toBe(value);
  expect(s.type).toBe(type);
  expect(s.expandable).toBe(false);
});

test('objects: class name as type, debuggee preview body as value', () => {
  expect(showRemote({ type: 'object', subtype: 'array', className: 'Array', description: 'Array(3)', objectId: '1' }, '[1, 2, 3]')).toEqual({
    value: 'Array(3) [1, 2, 3]',
    type: 'Array',
    expandable: true,
  });
  expect(showRemote({ type: 'object', className: 'Object', description: 'Object', objectId: '1' }, "{a: 1, b: 'x'}")).toMatchObject({ value: "{a: 1, b: 'x'}", type: 'Object' });
  expect(showRemote({ type: 'object', className: 'Point', description: 'Point', objectId: '1' }, '{x: 3}')).toMatchObject({ value: 'Point {x: 3}', type: 'Point' });
  expect(showRemote({ type: 'object', subtype: 'map', className: 'Map', description: 'Map(1)', objectId: '1' }, "{'a' => 1}").value).toBe("Map(1) {'a' => 1}");
  expect(showRemote({ type: 'object', subtype: 'error', className: 'TypeError', description: 'TypeError: bad\n    at x', objectId: '1' }).value).toBe('TypeError: bad');
});

test('functions are expandable and show a signature', () => {
  expect(showRemote({ type: 'function', className: 'Function', description: 'function add(a, b) {\n return a + b;\n}', objectId: '1' })).toEqual({
    value: 'ƒ add(a, b)',
    type: 'function',
    expandable: true,
  });
  expect(functionSignature('async (x, y) => x')).toBe('ƒ async (x, y) =>');
  expect(functionSignature('x => x')).toBe('ƒ (x) =>');
  expect(functionSignature('class Foo extends Bar {\n}')).toBe('class Foo extends Bar');
  expect(functionSignature('async *gen(a) { }')).toBe('ƒ async gen(a)');
});

test('V8 previews (used when present)', () => {
  const p: Protocol.Runtime.ObjectPreview = {
    type: 'object',
    description: 'Object',
    overflow: true,
    properties: [
      { name: 'a', type: 'number', value: '1' },
      { name: 'odd key', type: 'string', value: 's' },
      { name: 'o', type: 'object', value: 'Object' },
    ],
  };
  expect(formatPreview(p, 'Object')).toBe("{a: 1, 'odd key': 's', o: {…}, …}");
});

test('previews are requested only where they help', () => {
  expect(wantsPreview({ type: 'object', subtype: 'array', objectId: '1' })).toBe(true);
  expect(wantsPreview({ type: 'object', subtype: 'proxy', objectId: '1' })).toBe(false);
  expect(wantsPreview({ type: 'object', subtype: 'null' })).toBe(false);
  expect(wantsPreview({ type: 'function', objectId: '1' })).toBe(false);
});

test('child expressions and sizes', () => {
  expect(childExpression('a', 'b')).toBe('a.b');
  expect(childExpression('a', '3')).toBe('a[3]');
  expect(childExpression('a', 'odd key')).toBe('a["odd key"]');
  expect(childExpression(undefined, 'x')).toBe('x');
  expect(collectionSize('Array(1000000)')).toBe(1000000);
  expect(collectionSize('Map(0)')).toBe(0);
  expect(collectionSize('Object')).toBeUndefined();
  expect(quoteString('x'.repeat(5), 3)).toBe("'xxx…'");
});
