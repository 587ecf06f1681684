/**
 * Where the installed project lives. Compiled code runs from `dist/src/…`, sources from
 * `src/…`; both find the project root by walking up to the package.json named tps-hub, so that
 * data files kept next to the sources (SQL migrations, `xsd/`, `raml/`) are found either way.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tps-hub') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`tps-hub project root not found above ${start}`);
    dir = up;
  }
}

export const projectRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. `projectPath('xsd')`. */
export const projectPath = (...parts: string[]): string => join(projectRoot, ...parts);
