import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

// `kedang serve` as an operator starts it, in a child process of the test, for tests of the
// command line and of what survives a killed server.

export interface Served {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, and wait for the process to end. */
  stop: () => Promise<void>;
  /** SIGKILL: the process ends at once, mid-work, as in a power cut of the process. */
  kill: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The environment of a command run against its own data directory (and PostgreSQL database). */
export function commandEnv(
  dataDir: string,
  databaseUrl: string | undefined,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KEDANG_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? '',
    KEDANG_LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    ...extra,
  };
}

/** Starts `kedang serve` with the given environment and waits (up to a minute) until it answers.
 * The scheduler stays off unless the environment switches it on. */
export async function serve(env: NodeJS.ProcessEnv, opts: { nodeArgs?: string[] } = {}): Promise<Served> {
  const port = await freePort();
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), 'bin/kedang.js', 'serve'], {
    env: { KEDANG_SCHEDULER: 'off', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i === 599) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const ended = new Promise((r) => child.once('exit', r));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await ended;
  };
  return { url, child, output: () => out, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

// biome-ignore lint/suspicious/noExplicitAny: test helper; the assertions check the shape
type Answer = { status: number; json: any };

/** Calls the API as one signed-in person; `headers` carry the session for other requests. */
export type Call = ((method: string, url: string, body?: unknown) => Promise<Answer>) & {
  headers: Record<string, string>;
};

/** Signs in over HTTP; returns a function that calls the API as that person. */
export async function signInOver(url: string, login: string, password: string): Promise<Call> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (!res.ok) throw new Error(`login ${login}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const headers = { cookie, 'x-csrf-token': csrfToken };
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
  return Object.assign(call, { headers });
}
