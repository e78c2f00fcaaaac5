import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bulkWrites, openDatabase, sqliteConnection } from './index.js';

describe('bulk writes on SQLite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kedang-bulk-'));
  const handle = openDatabase({ dataDir: dir });
  afterAll(async () => {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const interval = () => sqliteConnection(handle.db)?.pragma('wal_autocheckpoint', { simple: true });

  it('checkpoints less often while imports run, and as before once the last one ends', () => {
    expect(interval()).toBe(10_000);
    const first = bulkWrites(handle.db);
    const second = bulkWrites(handle.db);
    expect(interval()).toBe(100_000);
    first();
    first();
    expect(interval()).toBe(100_000);
    second();
    expect(interval()).toBe(10_000);
  });
});
