#!/usr/bin/env node
// Runs the compiled test files with Node's built-in test runner.
// Usage: node scripts/run-tests.mjs [unit|integration|conformance|e2e ...]
// Without arguments every *.test.js under dist/test runs (benchmarks under dist/test/bench never do).
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

// Human-readable output on the terminal, TAP into a file for the closing summary line.
const tapDir = mkdtempSync(join(tmpdir(), 'tps-hub-tap-'));
const tapFile = join(tapDir, 'results.tap');
const result = spawnSync(
  process.execPath,
  // a test that hangs fails after 10 minutes with its name instead of holding CI until its deadline
  ['--test', '--test-timeout=600000', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tapFile}`, ...files],
  { stdio: 'inherit', env: process.env },
);
const tap = readFileSync(tapFile, 'utf8');
rmSync(tapDir, { recursive: true, force: true });
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
const backends = `${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'} + ${process.env.REDIS_URL ? 'BullMQ/Redis' : 'in-process queue'}`;
console.log(`\ntests on ${backends}: ${files.length} files`);
console.log(`${count('pass')} passed, ${count('fail')} failed, ${count('skipped')} skipped`);
process.exit(result.status ?? 1);
