// Keep-alive HTTP load generator, run as its own process so it does not share an event loop with
// the benchmark driver: N concurrent connections (http.Agent keepAlive, one request in flight per
// connection), a warm-up, then a fixed measuring window. Prints `MEASURE` when the window opens
// (the driver samples the server's CPU time there) and one JSON line when it closes:
// {requests, errors, seconds, rps, p50Ms, p99Ms}.
//
//   node bench/loadgen.mjs --host 127.0.0.1 --port 8080 [--conns 16] [--warmup 1000] [--duration 3000] [--path /]
import * as http from 'node:http';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const host = args.host ?? '127.0.0.1';
const port = Number(args.port);
const conns = Number(args.conns ?? 16);
const warmupMs = Number(args.warmup ?? 1000);
const durationMs = Number(args.duration ?? 3000);
const urlPath = args.path ?? '/';
if (!port) {
  console.error('usage: loadgen.mjs --host H --port P [--conns N] [--warmup MS] [--duration MS] [--path /p]');
  process.exit(2);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: conns, maxFreeSockets: conns });
let phase = 'warmup';
let requests = 0;
let errors = 0;
const latencies = [];

function once() {
  return new Promise((resolve) => {
    const t = performance.now();
    const req = http.get({ host, port, path: urlPath, agent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        if (phase === 'measure') {
          requests++;
          latencies.push(performance.now() - t);
        }
        resolve();
      });
    });
    req.on('error', () => {
      if (phase === 'measure') errors++;
      resolve();
    });
  });
}

async function worker() {
  while (phase !== 'done') await once();
}

const workers = Array.from({ length: conns }, worker);
await new Promise((r) => setTimeout(r, warmupMs));
phase = 'measure';
console.log('MEASURE');
const t0 = performance.now();
await new Promise((r) => setTimeout(r, durationMs));
phase = 'done';
const seconds = (performance.now() - t0) / 1000;
console.log(`DONE`);
await Promise.all(workers);
agent.destroy();
latencies.sort((a, b) => a - b);
const pick = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] : 0);
console.log(JSON.stringify({ requests, errors, seconds, rps: requests / seconds, p50Ms: pick(0.5), p99Ms: pick(0.99) }));
