// The self-signed listener certificate: parses, verifies, carries the right fingerprint, and
// loopback checks.

import * as crypto from 'node:crypto';
import { generateSelfSignedCert } from '../../../kernel/src/link/cert';
import { isLoopbackHost } from '../../../kernel/src/attach/loopback';

describe('self-signed certificate', () => {
  it('is a valid X.509 certificate whose fingerprint matches', () => {
    const c = generateSelfSignedCert('test cn', 1);
    const x = new crypto.X509Certificate(c.certPem);
    expect(x.subject).toBe('CN=test cn');
    expect(x.verify(crypto.createPublicKey(c.keyPem))).toBe(true);
    expect(x.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(c.fingerprint.toString('hex'));
    expect(new Date(x.validTo).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(x.validFrom).getTime()).toBeLessThan(Date.now());
  });

  it('is fresh every time', () => {
    expect(generateSelfSignedCert().fingerprint.equals(generateSelfSignedCert().fingerprint)).toBe(false);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
    ['localhost.evil.com', false],
    ['::', false],
  ])('%s → %s', (host, expected) => expect(isLoopbackHost(host)).toBe(expected));
});
