import fs from 'node:fs';

// The server's clock. Normally the system clock; for browser tests that must let days pass
// (a loan period ending), KEDANG_CLOCK_FILE names a file holding an offset in milliseconds that
// is added to the system clock. It is re-read when the file changes. Never set it in production.

export function processClock(file = process.env.KEDANG_CLOCK_FILE): () => Date {
  if (!file) return () => new Date();
  console.warn(`KEDANG_CLOCK_FILE is set: the clock follows ${file} (for tests only)`);
  let offset = 0;
  let seen = -1;
  return () => {
    try {
      const mtime = fs.statSync(file).mtimeMs;
      if (mtime !== seen) {
        seen = mtime;
        offset = Number(fs.readFileSync(file, 'utf8').trim()) || 0;
      }
    } catch {
      offset = 0;
    }
    return new Date(Date.now() + offset);
  };
}
