import { Worker } from 'node:worker_threads';

// Work that needs a CPU core of its own, next to the thread that serves requests and owns
// the database connection: reading and checking a 100,000-row import while the previous
// batch is written. The module runs in a fresh thread with only `data` (structured-cloned)
// and talks to its parent by messages.

const ENTRY = new URL('./thread-entry.mjs', import.meta.url);

export function startThread(module: URL, data: unknown): Worker {
  return new Worker(ENTRY, {
    workerData: { module: module.href, data },
    // KEDANG_THREAD_PROF=dir writes a CPU profile of each thread there (node --cpu-prof), for
    // the import's bench: a profile of the parent does not see into its threads.
    execArgv: process.env.KEDANG_THREAD_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.KEDANG_THREAD_PROF}`]
      : [],
  });
}
