/**
 * Where tests find things. Compiled tests run from `dist/test/…`; the repository root is the
 * nearest directory above with the package.json named tps-hub, and the shared material
 * (official schemas, sample documents) lives next to it in `../shared`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tps-hub') return dir;
    if (dirname(dir) === dir) throw new Error(`repository root not found above ${start}`);
  }
}

export const repoRoot: string = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const sharedDir: string = resolve(repoRoot, '..', 'shared');

/** A path inside the repository, e.g. `repoPath('test', 'fixtures', 'xml')`. */
export const repoPath = (...parts: string[]): string => join(repoRoot, ...parts);
/** A path inside ../shared, e.g. `sharedPath('samples', 'iec62325')`. */
export const sharedPath = (...parts: string[]): string => join(sharedDir, ...parts);
