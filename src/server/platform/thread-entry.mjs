// Entry of every worker thread: the server runs its TypeScript sources through tsx, and a
// worker starts as plain Node (threads.ts does not pass on the parent's flags, which under a
// test runner or tsx's CLI would load a second, different loader), so it registers tsx first.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
