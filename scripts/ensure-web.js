#!/usr/bin/env node
// Builds the web app when dist/web is missing or older than its sources, so that
// `npm start` on a fresh clone (or after `git pull`) serves the current pages.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist/web/index.html');
const sources = ['src/web', 'src/common', 'vite.config.ts', 'package-lock.json'].map((p) =>
  path.join(root, p),
);

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, entry)));
  return max;
}

const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
const changedAt = Math.max(...sources.map(newest));
if (builtAt >= changedAt) process.exit(0);

const vite = path.join(root, 'node_modules/.bin/vite');
if (!fs.existsSync(vite)) {
  console.error(
    builtAt
      ? 'Web app is older than its sources, but vite is not installed; serving the old build.'
      : 'The web app is not built and vite is not installed: run `npm install` first.',
  );
  process.exit(builtAt ? 0 : 1);
}
console.log('Building the web app (first start or sources changed)…');
const result = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
