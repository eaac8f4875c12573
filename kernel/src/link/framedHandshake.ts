// Runs a handshake state machine (handshake.ts) over a TLS socket, with the link's framing
// (4-byte big-endian length + UTF-8 JSON) capped at HANDSHAKE_MAX_FRAME_BYTES and a deadline.
// Frames are taken one at a time, so bytes that arrive after the last handshake frame are
// pushed back onto the socket (unshift) for whoever reads the authenticated link next.

import type * as tls from 'node:tls';
import { encodeFrame, takeFrame } from './framing';
import { EKM_BYTES, EKM_LABEL, HANDSHAKE_MAX_FRAME_BYTES, type HandshakeFrame, type HandshakeResult, type HandshakeStep } from './handshake';

export interface HandshakeMachine {
  onFrame(frame: unknown): HandshakeStep;
}

/** Keying material that binds the handshake to this TLS session. */
export function exportKeyingMaterial(socket: tls.TLSSocket): Buffer {
  return socket.exportKeyingMaterial(EKM_BYTES, EKM_LABEL, Buffer.alloc(0));
}

export function runFramedHandshake(socket: tls.TLSSocket, machine: HandshakeMachine, first: HandshakeFrame | undefined, timeoutMs: number): Promise<HandshakeResult> {
  return new Promise<HandshakeResult>((resolve) => {
    let buffered: Buffer = Buffer.alloc(0);
    let settled = false;
    const settle = (result: HandshakeResult, rest?: Buffer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      if (result.ok) {
        socket.pause();
        if (rest && rest.length) socket.unshift(rest);
      }
      resolve(result);
    };
    const send = (frame: HandshakeFrame | undefined): void => {
      if (frame && !socket.destroyed) socket.write(encodeFrame(frame));
    };
    const onData = (chunk: Buffer): void => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      if (buffered.length > 4 * HANDSHAKE_MAX_FRAME_BYTES) return settle({ ok: false, reason: 'too much data during the handshake' });
      for (;;) {
        const took = takeFrame(buffered, HANDSHAKE_MAX_FRAME_BYTES, 'handshake limit');
        if ('need' in took) return;
        if ('error' in took) {
          send({ t: 'reject', reason: took.error });
          return settle({ ok: false, reason: took.error });
        }
        buffered = took.rest;
        const step = machine.onFrame(took.frame);
        send(step.send);
        if (step.done) return settle(step.done, buffered);
      }
    };
    const onClose = (): void => settle({ ok: false, reason: 'the peer closed the connection during the handshake' });
    const onError = (e: Error): void => settle({ ok: false, reason: `connection error during the handshake: ${e.message}` });
    const timer = setTimeout(() => settle({ ok: false, reason: `handshake timed out after ${timeoutMs} ms` }), timeoutMs);
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onError);
    send(first);
  });
}
