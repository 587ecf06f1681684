/**
 * One process per embedded data directory: PGlite is a single-writer database, so a second
 * `tps-hub serve` on the same DATA_DIR must stop with a clear message instead of corrupting it.
 * A lock left by a crashed process (its pid no longer runs) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { HubError } from '../shared/errors.js';

export interface DirLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dir: string): DirLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'tps-hub.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(path, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new HubError(
          'STORAGE_UNAVAILABLE',
          `data directory ${dir} is in use by process ${pid}; stop it or set DATA_DIR to another directory`,
        );
      }
      rmSync(path, { force: true }); // stale lock of a dead process
    }
  }
  throw new HubError('STORAGE_UNAVAILABLE', `cannot lock data directory ${dir}`);
}
