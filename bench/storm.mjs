// A bounded storm of hostile clients against `qiquan serve` on loopback, reporting the server's
// resident memory (RSS) before, during and after, and /healthz latency during. A measurement,
// not a test: it fails only if the server dies, stops answering /healthz, or keeps the storm's
// memory after it.
//
//   node bench/storm.mjs [path/to/qiquan]     # default target/release/qiquan (bench/storm.sh builds it)
//
// Env (all bounded): STALLED (2000 connections that send all but the last 1 KB of a 255 KB body
// and stall), SLOW (500 connections that send their headers a byte every 500 ms), METHODS
// (10000 requests with made-up methods, 8 keep-alive connections), NONREADING (300 connections
// that pipeline 200 requests each and never read), HOLD (seconds the stalled and slow clients
// stay, default 20), ROUNDS (storms one after another, default 1), SETTLE (seconds after the storm before the "after" figure, default 15),
// EXTRA_ARGS (more `qiquan serve` flags), MALLOC_ARENA_MAX etc. pass through to the server.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const bin = process.argv[2] ?? 'target/release/qiquan';
const num = (name, dflt) => Number(process.env[name] ?? dflt);
const STALLED = num('STALLED', 2000);
const SLOW = num('SLOW', 500);
const METHODS = num('METHODS', 10000);
const NONREADING = num('NONREADING', 300);
const HOLD = num('HOLD', 20);
const SETTLE = num('SETTLE', 15);
const ROUNDS = num('ROUNDS', 1);
const extra = (process.env.EXTRA_ARGS ?? '').split(' ').filter(Boolean);

const server = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--dev', '--www', '/nonexistent', ...extra], {
  stdio: ['ignore', 'pipe', 'ignore'],
});
const addr = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/listening on http:\/\/([\d.]+):(\d+)/);
    if (m) resolve({ host: m[1], port: Number(m[2]) });
  });
  server.on('exit', (code) => reject(new Error(`server exited (${code})`)));
  setTimeout(() => reject(new Error('server did not start')), 10000);
});

const rssKiB = () => {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)[1]);
};
const mib = (kib) => (kib / 1024).toFixed(1);
/** The server's open sockets (its connections and the listener). */
const sockets_open = () => readdirSync(`/proc/${server.pid}/fd`)
  .filter((fd) => { try { return readlinkSync(`/proc/${server.pid}/fd/${fd}`).startsWith('socket:'); } catch { return false; } })
  .length;

/** One request on a fresh connection; resolves with [status, milliseconds]. */
function request(method, path, headers = {}, body = '') {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(addr);
    let data = '';
    socket.setTimeout(15000, () => socket.destroy());
    socket.on('connect', () => {
      const head = Object.entries({ Host: 'localhost', Connection: 'close', 'Content-Length': Buffer.byteLength(body), ...headers })
        .map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`${method} ${path} HTTP/1.1\r\n${head}\r\n${body}`);
    });
    socket.on('data', (d) => { data += d; });
    socket.on('error', () => {});
    socket.on('close', () => resolve([Number(data.split(' ')[1] ?? 0), performance.now() - started]));
  });
}

const submission = JSON.stringify({
  submission: {
    applicant: { kind: 'natural_person' },
    fields: {},
    materials: {},
  },
});

// Warm up: a few hundred real checks, then the baseline.
for (let i = 0; i < 300; i++) {
  await request('POST', '/v1/matters/public_place_hygiene_license/check', { 'Content-Type': 'application/json' }, submission);
}
const before = rssKiB();
console.log(`storm: server pid ${server.pid} on ${addr.host}:${addr.port}; RSS before ${mib(before)} MiB`);

const statuses = new Map();
const count = (what, status) => {
  const key = `${what} ${status}`;
  statuses.set(key, (statuses.get(key) ?? 0) + 1);
};
const sockets = [];
const opened = (socket) => { sockets.push(socket); socket.on('error', () => {}); return socket; };

/** Clients that send all but the end of a large body, then stall until the server gives up. */
function stalled(n) {
  const bodyLength = 255 * 1024;
  const chunk = Buffer.alloc(bodyLength - 1024, 0x20);
  return Promise.all(Array.from({ length: n }, () => new Promise((resolve) => {
    const socket = opened(net.connect(addr));
    let data = '';
    socket.on('connect', () => {
      socket.write(`POST /v1/matters/public_place_hygiene_license/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${bodyLength}\r\n\r\n`);
      socket.write(chunk);
    });
    socket.on('data', (d) => { data += d; });
    socket.on('close', () => { count('stalled body', data.split(' ')[1] ?? 'closed'); resolve(); });
    setTimeout(() => socket.destroy(), HOLD * 1000);
  })));
}

/** Clients that trickle their headers a byte at a time. */
function slow(n) {
  const head = 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ' + 'a'.repeat(200);
  return Promise.all(Array.from({ length: n }, () => new Promise((resolve) => {
    const socket = opened(net.connect(addr));
    let data = '';
    let i = 0;
    const timer = setInterval(() => { if (i < head.length) socket.write(head[i++]); }, 500);
    socket.on('data', (d) => { data += d; });
    socket.on('close', () => { clearInterval(timer); count('slow headers', data.split(' ')[1] ?? 'closed'); resolve(); });
    setTimeout(() => socket.destroy(), HOLD * 1000);
  })));
}

/** Made-up methods on keep-alive connections (each once a new metrics series). */
async function methods(n) {
  const per = Math.ceil(n / 8);
  await Promise.all(Array.from({ length: 8 }, (_, w) => new Promise((resolve) => {
    const socket = opened(net.connect(addr));
    let sent = 0;
    let buffered = '';
    const next = () => {
      if (sent === per) { socket.end(); return; }
      sent++;
      const method = `M${w}X${sent.toString(36)}${'Y'.repeat(200)}`;
      socket.write(`${method} /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`);
    };
    socket.on('connect', next);
    socket.on('data', (d) => {
      buffered += d;
      let end;
      while ((end = buffered.indexOf('\r\n\r\n')) >= 0) {
        const head = buffered.slice(0, end);
        const length = Number(head.match(/content-length: (\d+)/i)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) break;
        count('made-up method', head.split(' ')[1]);
        buffered = buffered.slice(end + 4 + length);
        next();
      }
    });
    socket.on('close', resolve);
  })));
}

/** Clients that pipeline requests and never read the answers. */
function nonReading(n) {
  const requests = 'GET /v1/matters HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(200);
  return Promise.all(Array.from({ length: n }, () => new Promise((resolve) => {
    const socket = opened(net.connect(addr));
    socket.on('connect', () => { socket.write(requests); socket.pause(); });
    socket.on('close', resolve);
    setTimeout(() => socket.destroy(), HOLD * 1000);
  })));
}

// /healthz latency and RSS, sampled through the storm.
const latencies = [];
const healthFailures = [];
let peak = before;
let peakSockets = 0;
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const [status, ms] = await request('GET', '/healthz');
    if (status === 200) latencies.push(ms); else healthFailures.push(status);
    peak = Math.max(peak, rssKiB());
    peakSockets = Math.max(peakSockets, sockets_open());
    await sleep(100);
  }
})();

const started = performance.now();
let socketsAtHold = 0;
const afterRounds = [];
for (let round = 0; round < ROUNDS; round++) {
  // Just before the clients give up (HOLD): how many connections does the server still hold?
  const atHold = sleep(HOLD * 1000 - 500).then(() => sockets_open());
  await Promise.all([stalled(STALLED), slow(SLOW), methods(METHODS), nonReading(NONREADING)]);
  socketsAtHold = Math.max(socketsAtHold, await atHold);
  for (const s of sockets) s.destroy();
  sockets.length = 0;
  await sleep(2000);
  afterRounds.push(rssKiB());
  if (process.env.VERBOSE) console.log(`round ${round}: RSS ${mib(rssKiB())} MiB, server sockets ${sockets_open()}`);
}
const stormSeconds = ((performance.now() - started) / 1000).toFixed(1);
sampling = false;
await sampler;
const justAfter = rssKiB();
await sleep(SETTLE * 1000);
const after = rssKiB();
const [metricsStatus] = await request('GET', '/metrics');
const metricsSize = await new Promise((resolve) => {
  let size = 0;
  const socket = net.connect(addr, () => socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
  socket.on('data', (d) => { size += d.length; });
  socket.on('close', () => resolve(size));
});
server.kill('SIGTERM');

latencies.sort((a, b) => a - b);
const q = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1) : 'n/a';
if (ROUNDS > 1) console.log(`storm: RSS after each of ${ROUNDS} rounds: ${afterRounds.map(mib).join(', ')} MiB`);
console.log(`storm: ${STALLED} stalled bodies, ${SLOW} slow-header clients, ${METHODS} made-up methods, ${NONREADING} non-reading clients; ${stormSeconds} s`);
console.log('');
console.log('| RSS before | RSS peak during | RSS right after | RSS after ' + SETTLE + ' s | server sockets: peak / at ' + HOLD + ' s | /healthz p50 | p99 | max | /healthz failures | /metrics bytes |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
console.log(`| ${mib(before)} MiB | ${mib(peak)} MiB | ${mib(justAfter)} MiB | ${mib(after)} MiB | ${peakSockets} / ${socketsAtHold} | ${q(0.5)} ms | ${q(0.99)} ms | ${q(1)} ms | ${healthFailures.length} of ${latencies.length + healthFailures.length} | ${metricsSize} |`);
console.log('');
for (const [key, n] of [...statuses].sort()) console.log(`  ${key}: ${n}`);
const ok = healthFailures.length === 0 && metricsStatus === 200 && after < before + 64 * 1024;
if (!ok) console.log('storm: FAIL (health failures, /metrics down, or memory kept after the storm)');
process.exit(ok ? 0 : 1);
