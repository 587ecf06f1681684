#!/usr/bin/env node
// Runs the compiled test files with Node's built-in test runner.
// Usage: node scripts/run-tests.mjs [unit|integration|conformance|e2e ...]
// Without arguments every *.test.js under dist/test runs (benchmarks under dist/test/bench never do).
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = 'dist/test';
const groups = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const files = walk(root)
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => !relative(root, f).startsWith(`bench${sep}`))
  .filter((f) => groups.length === 0 || groups.includes(relative(root, f).split(sep)[0]))
  .sort();

if (files.length === 0) {
  console.error(`no test files found under ${root} for ${groups.join(', ') || 'all groups'}`);
  process.exit(1);
}

const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(result.status ?? 1);
