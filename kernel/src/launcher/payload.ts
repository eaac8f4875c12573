// The encrypted connection-info payload a kernel launcher sends to the gateway's response address,
// version 1 as Gateway Provisioners' server_listener.py builds it and response_manager.py reads it:
//
//   conn_info = base64(AES-128-ECB(PKCS#7-pad(json(connection info), 16)))   with a random 16-byte key
//   key       = base64(RSA-PKCS#1-v1.5-encrypt(aes key, gateway public key))  key: base64 DER SPKI
//   payload   = base64(json({"version": 1, "key": key, "conn_info": conn_info}))
//
// ECB is their choice, not ours: the gateway decrypts exactly this, so it is matched byte for byte
// (JSON written the way Python's json.dumps writes it, too). What it protects is the connection key.

import * as crypto from 'node:crypto';

export const LAUNCHER_VERSION = 1;

/** A flat JSON value as the connection info holds them. */
export type FlatJson = Record<string, string | number>;

/**
 * json.dumps of a flat object with Python's default separators (", " and ": ") and ensure_ascii:
 * the gateway does not care, but the bytes then match what the reference launcher sends.
 */
export function pyJsonDumps(obj: FlatJson): string {
  const str = (v: string | number): string => JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return (
    '{' +
    Object.entries(obj)
      .map(([k, v]) => `${str(k)}: ${str(v)}`)
      .join(', ') +
    '}'
  );
}

/** The gateway's public key as passed on the command line (a PEM body) into a KeyObject. */
export function importPublicKey(base64Der: string): crypto.KeyObject {
  const der = Buffer.from(base64Der.replace(/\s+/g, ''), 'base64');
  try {
    return crypto.createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch (e) {
    throw new Error(`--public-key is not a base64 DER RSA public key: ${(e as Error).message}`, { cause: e });
  }
}

/** The base64 payload (what goes on the wire, as ASCII bytes) for this connection info. */
export function encryptPayload(connectionInfo: FlatJson, publicKey: crypto.KeyObject, aesKey: Buffer = crypto.randomBytes(16)): string {
  const cipher = crypto.createCipheriv('aes-128-ecb', aesKey, null); // PKCS#7 padding: Node's default
  const encryptedInfo = Buffer.concat([cipher.update(Buffer.from(pyJsonDumps(connectionInfo), 'utf8')), cipher.final()]);
  const encryptedKey = crypto.publicEncrypt({ key: publicKey, padding: crypto.constants.RSA_PKCS1_PADDING }, aesKey);
  const payload = pyJsonDumps({ version: LAUNCHER_VERSION, key: encryptedKey.toString('base64'), conn_info: encryptedInfo.toString('base64') });
  return Buffer.from(payload, 'utf8').toString('base64');
}
