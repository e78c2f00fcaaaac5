#!/usr/bin/env node
// Sums the vitest JSON reports of all suites into CI's last line: "N passed, N failed".
// A suite that wrote no report (it crashed before finishing) counts as one failure, and so
// does each failed step (lint, typecheck) passed in on the command line.
import fs from 'node:fs';
import path from 'node:path';

const [dir = '.test-results', stepCount = '0', ...steps] = process.argv.slice(2);
const suites = ['sqlite', 'postgres', 'fuzz-sqlite', 'fuzz-postgres', 'e2e'];
let passed = 0;
let failed = Number(stepCount);
for (const step of steps) console.log(`FAILED step: ${step}`);
for (const suite of suites) {
  const file = path.join(dir, `${suite}.json`);
  if (!fs.existsSync(file)) {
    console.log(`${suite}: no report (suite did not finish)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  // Files that failed to load count as failures even when no test inside them ran.
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
  ).length;
  console.log(`${suite}: ${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed`);
  passed += r.numPassedTests;
  failed += r.numFailedTests + brokenFiles;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
