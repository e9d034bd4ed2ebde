// Real processes and sockets for fault tests: a Redis server of the test's own (so it can be
// killed and restarted), newsline worker processes, and a TCP proxy that can cut a connection.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { exitOf, startCli } from './cli.js';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function hasRedisServer(): boolean {
  return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((p) => fs.existsSync(p));
}

async function pingable(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server at ${url} did not answer`);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      client.disconnect();
    }
  }
}

export interface OwnRedis {
  url: string;
  /** The server's process id (while it runs). */
  pid(): number | undefined;
  /** SIGKILL the server (nothing flushed beyond what AOF already has) and wait for it to exit. */
  kill(): Promise<void>;
  /** Start it again on the same port and data directory (it replays the AOF). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** redis-server on loopback `port`, its files in `dir`, no RDB snapshots; `args` add the rest. */
function spawnRedisServer(port: number, dir: string, args: string[]): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...args], { stdio: 'ignore' });
}

/** A redis-server on a free loopback port with AOF, fsynced on every write unless `appendfsync` says otherwise. */
export async function startOwnRedis(options: { appendfsync?: 'always' | 'everysec'; extraArgs?: string[] } = {}): Promise<OwnRedis> {
  const extraArgs = options.extraArgs ?? [];
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsline-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawnRedisServer(port, dir, ['--appendonly', 'yes', '--appendfsync', options.appendfsync ?? 'always', ...extraArgs]);
    await pingable(url, 10_000);
  };
  const kill = async () => {
    if (!child || child.exitCode !== null) return;
    const c = child;
    c.kill('SIGKILL');
    await exitOf(c);
  };
  await start();
  return {
    url,
    pid: () => (child as ChildProcess | null)?.pid,
    kill,
    start,
    async stop() {
      await kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
}

/** `newsline start` in its own process; resolves once its workers are up. */
export async function startWorkerProcess(env: Record<string, string>, args: string[] = []): Promise<WorkerProcess> {
  return startCli(['start', ...args], { LOG_LEVEL: 'info', ...env }, /pipeline started/);
}

export interface TcpProxy {
  port: number;
  /** Drop every open connection and refuse new ones until `restore()`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:<port> to `targetPort`: a network path a test can break and mend. */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let broken = false;
  const server = net.createServer((client) => {
    if (broken) return client.destroy();
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      broken = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      broken = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface OwnCluster {
  /** host:port of every master. */
  nodes: string[];
  stop(): Promise<void>;
}

/** Three masters on loopback (`cluster-enabled yes`), joined with `redis-cli --cluster create`. */
export async function startOwnCluster(): Promise<OwnCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsline-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const children = ports.map((port) => {
    const nodeDir = path.join(dir, String(port));
    fs.mkdirSync(nodeDir);
    return spawnRedisServer(port, nodeDir, [
      '--appendonly',
      'no',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      '5000',
    ]);
  });
  const stop = async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map((c) => exitOf(c)));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await pingable(`redis://127.0.0.1:${port}`, 10_000);
    const nodes = ports.map((p) => `127.0.0.1:${p}`);
    const create = spawn('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    create.stdout!.on('data', (d) => (out += d));
    create.stderr!.on('data', (d) => (out += d));
    if ((await exitOf(create)) !== 0) throw new Error(`redis-cli --cluster create failed:\n${out}`);
    // Wait until every node agrees the cluster is up.
    for (const port of ports) {
      const client = new Redis(`redis://127.0.0.1:${port}`);
      try {
        for (let i = 0; ; i++) {
          if (/cluster_state:ok/.test(await client.cluster('INFO'))) break;
          if (i > 100) throw new Error(`cluster not ok on ${port}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        client.disconnect();
      }
    }
    return { nodes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
