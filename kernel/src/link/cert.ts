// A throwaway self-signed X.509 certificate for the attach listener, built with node:crypto only.
// Node 20 can parse certificates (X509Certificate) but not create them, so this file DER-encodes a
// minimal v3 TBSCertificate (P-256 key, ecdsa-with-SHA256, a CN, a validity window) and signs it.
// No CA is involved: agents pin the certificate's SHA-256 fingerprint carried in the attach token.

import * as crypto from 'node:crypto';

export interface SelfSignedCert {
  /** PEM private key (PKCS#8). */
  keyPem: string;
  certPem: string;
  /** SHA-256 over the DER certificate: what the token pins. */
  fingerprint: Buffer;
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function positiveInteger(bytes: Buffer): Buffer {
  const body = bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return tlv(0x02, body);
}

/** UTCTime YYMMDDHHMMSSZ (valid for years 1950–2049, which is all we need). */
function utcTime(d: Date): Buffer {
  const two = (n: number): string => String(n).padStart(2, '0');
  const s = `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

function toPem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

const ECDSA_WITH_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const COMMON_NAME = '2.5.4.3';

/** Generates a fresh key pair and a certificate valid from one hour ago for `days` days. */
export function generateSelfSignedCert(commonName = 'tskernel attach listener', days = 7): SelfSignedCert {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const name = seq(set(seq(oid(COMMON_NAME), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
  const now = Date.now();
  const serial = crypto.randomBytes(16);
  // Positive and minimal in DER: no high bit (would be negative), no leading zero byte.
  serial[0] = (serial[0] & 0x7f) | 0x40;
  const tbs = seq(
    tlv(0xa0, positiveInteger(Buffer.from([2]))), // [0] EXPLICIT version v3
    positiveInteger(serial),
    ECDSA_WITH_SHA256,
    name,
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + days * 86400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = crypto.sign('sha256', tbs, privateKey);
  const der = seq(tbs, ECDSA_WITH_SHA256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  // Round-trip through Node's parser: a malformed encoding fails here, not in a TLS handshake.
  const parsed = new crypto.X509Certificate(der);
  if (!parsed.verify(publicKey)) throw new Error('self-signed certificate does not verify');
  return {
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certPem: toPem('CERTIFICATE', der),
    fingerprint: crypto.createHash('sha256').update(der).digest(),
  };
}

/** SHA-256 fingerprint of a peer certificate's DER bytes. */
export function fingerprintOf(der: Buffer): Buffer {
  return crypto.createHash('sha256').update(der).digest();
}
