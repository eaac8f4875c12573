// The launcher's encrypted connection payload, unwrapped layer by layer the way Gateway
// Provisioners' response_manager.py does it (base64 JSON; RSA PKCS#1 v1.5 key; AES-128-ECB with
// PKCS#7 padding). Node no longer PKCS#1-decrypts, so the RSA layer is opened raw and its padding
// checked by hand. The gateway's own Python decrypts it in test/gateway.

import * as crypto from 'node:crypto';
import { encryptPayload, importPublicKey, pyJsonDumps } from '../../../kernel/src/launcher/payload';

const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
/** What the gateway passes: its PEM body, header, footer and newlines stripped. */
const publicKeyArg = publicKey
  .export({ type: 'spki', format: 'pem' })
  .toString()
  .replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '')
  .replace(/\n/g, '');

/** RSA with PKCS#1 v1.5 type-2 padding: 00 02 <non-zero random> 00 <message>. */
function rsaPkcs1Decrypt(data: Buffer): Buffer {
  const raw = crypto.privateDecrypt({ key: privateKey, padding: crypto.constants.RSA_NO_PADDING }, data);
  expect(raw[0]).toBe(0);
  expect(raw[1]).toBe(2);
  const sep = raw.indexOf(0, 2);
  expect(sep).toBeGreaterThanOrEqual(10); // at least 8 bytes of padding
  return raw.subarray(sep + 1);
}

const INFO = { shell_port: 40001, iopub_port: 40002, ip: '0.0.0.0', key: 'a-b-c', transport: 'tcp', pid: 77, comm_port: 40006, kernel_id: 'k1' };

test('pyJsonDumps writes what Python json.dumps writes', () => {
  expect(pyJsonDumps({ a: 1, b: 'x' })).toBe('{"a": 1, "b": "x"}');
  // ensure_ascii: non-ASCII as \uXXXX, astral characters as surrogate pairs; "/" and DEL as is
  expect(pyJsonDumps({ k: 'é/😀\u007f"\\\n' })).toBe('{"k": "\\u00e9/\\ud83d\\ude00\u007f\\"\\\\\\n"}');
});

test('the payload unwraps to the connection info, as the gateway reads it', () => {
  const aesKey = crypto.randomBytes(16);
  const wire = encryptPayload(INFO, importPublicKey(publicKeyArg), aesKey);
  expect(wire).toMatch(/^[A-Za-z0-9+/]+=*$/);
  const outerText = Buffer.from(wire, 'base64').toString('utf8');
  const outer = JSON.parse(outerText) as { version: number; key: string; conn_info: string };
  expect(Object.keys(outer)).toEqual(['version', 'key', 'conn_info']);
  expect(outer.version).toBe(1);
  expect(outerText).toBe(`{"version": 1, "key": "${outer.key}", "conn_info": "${outer.conn_info}"}`);

  const key = rsaPkcs1Decrypt(Buffer.from(outer.key, 'base64'));
  expect(key.equals(aesKey)).toBe(true);

  const encrypted = Buffer.from(outer.conn_info, 'base64');
  expect(encrypted.length % 16).toBe(0);
  const decipher = crypto.createDecipheriv('aes-128-ecb', key, null);
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(encrypted), decipher.final()]);
  const pad = padded[padded.length - 1];
  expect(pad).toBeGreaterThanOrEqual(1);
  expect(pad).toBeLessThanOrEqual(16);
  expect([...padded.subarray(padded.length - pad)].every((b) => b === pad)).toBe(true); // PKCS#7
  const text = padded.subarray(0, padded.length - pad).toString('utf8');
  expect(text).toBe(pyJsonDumps(INFO));
  expect(JSON.parse(text)).toEqual(INFO);
});

test('a fresh AES key for every payload', () => {
  const k = importPublicKey(publicKeyArg);
  const a = JSON.parse(Buffer.from(encryptPayload(INFO, k), 'base64').toString()) as { conn_info: string };
  const b = JSON.parse(Buffer.from(encryptPayload(INFO, k), 'base64').toString()) as { conn_info: string };
  expect(a.conn_info).not.toBe(b.conn_info);
});

test('a public key that is not one is refused with the option named', () => {
  expect(() => importPublicKey('bm90IGEga2V5')).toThrow(/--public-key/);
});
