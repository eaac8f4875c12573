// The kernel's ZeroMQ endpoints: ROUTER shell/control/stdin, PUB iopub, and the REP heartbeat on
// its own thread (heartbeat.ts). Decodes and verifies incoming frames (bad ones are logged and
// dropped), hands messages to one callback, and signs and queues outgoing ones. Frames larger
// than the configured maximum (limits.ts) are refused by libzmq before they are read.
// Knows nothing about handlers.

import * as zmq from 'zeromq';
import { logger } from '../common/log';
import { endpoint, type ConnectionInfo } from './connection';
import { decode, encode, WireFrameError } from './frames';
import type { Channel, Message } from './messages';
import { Heartbeat } from './heartbeat';
import { HEARTBEAT_MAX_MESSAGE_BYTES, maxMessageBytes } from './limits';
import { SendQueue } from './sendQueue';
import { Signer } from './signature';

const log = logger('wire');

export type Incoming = (channel: 'shell' | 'control' | 'stdin', msg: Message) => void;

export class WireServer {
  readonly signer: Signer;
  private readonly shell = new zmq.Router();
  private readonly control = new zmq.Router();
  private readonly stdin = new zmq.Router();
  private readonly iopub = new zmq.Publisher();
  private readonly hb: Heartbeat;
  private readonly queues: Record<Channel, SendQueue>;
  private closed = false;

  /** Largest incoming frame in bytes (-1: no limit). */
  readonly maxMessageSize: number;

  constructor(
    private readonly info: ConnectionInfo,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.signer = new Signer(info.key, info.signature_scheme);
    this.maxMessageSize = maxMessageBytes(env, log);
    for (const s of [this.shell, this.control, this.stdin, this.iopub]) s.linger = 0;
    for (const s of [this.shell, this.control, this.stdin]) s.maxMessageSize = this.maxMessageSize;
    const hbLimit = this.maxMessageSize < 0 ? HEARTBEAT_MAX_MESSAGE_BYTES : Math.min(this.maxMessageSize, HEARTBEAT_MAX_MESSAGE_BYTES);
    this.hb = new Heartbeat({ endpoint: endpoint(info, info.hb_port), maxMessageSize: hbLimit }, log);
    this.queues = {
      shell: new SendQueue(this.shell, 'shell', log),
      control: new SendQueue(this.control, 'control', log),
      stdin: new SendQueue(this.stdin, 'stdin', log),
      iopub: new SendQueue(this.iopub, 'iopub', log),
    };
  }

  async start(onMessage: Incoming): Promise<void> {
    const i = this.info;
    await Promise.all([
      this.shell.bind(endpoint(i, i.shell_port)),
      this.control.bind(endpoint(i, i.control_port)),
      this.stdin.bind(endpoint(i, i.stdin_port)),
      this.iopub.bind(endpoint(i, i.iopub_port)),
    ]);
    // Not awaited: the worker takes ~80 ms to boot and load ZeroMQ, which would delay the first
    // kernel_info_reply. Pings sent before it has bound wait in the client's socket (ZeroMQ
    // reconnects until the endpoint exists) and are answered as soon as it has.
    this.hb.start().catch((e: Error) => log.error('the heartbeat could not start: frontends will consider this kernel dead', e));
    void this.receive('control', this.control, onMessage);
    void this.receive('shell', this.shell, onMessage);
    void this.receive('stdin', this.stdin, onMessage);
  }

  send(channel: Channel, msg: Message): void {
    if (this.closed) return;
    this.queues[channel].push(encode(msg, this.signer));
  }

  async flush(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.flushed()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    for (const s of [this.shell, this.control, this.stdin, this.iopub]) s.close();
    await this.hb.close();
  }

  private async receive(channel: 'shell' | 'control' | 'stdin', sock: zmq.Router, onMessage: Incoming): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: Message;
        try {
          msg = decode(frames, this.signer);
        } catch (e) {
          log.warn(`dropped a message on ${channel}: ${e instanceof WireFrameError ? e.message : String(e)}`);
          continue;
        }
        try {
          onMessage(channel, msg);
        } catch (e) {
          log.error(`handler threw for ${msg.header.msg_type} on ${channel}`, e);
        }
      }
    } catch (e) {
      if (!this.closed) log.error(`${channel} receive loop ended`, e);
    }
  }
}
