/**
 * A garbage collection on demand, for memory tests: `global.gc` when node runs with --expose-gc,
 * otherwise the same function obtained at run time (V8 flag set, then read from a new context).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

function obtainGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export const forceGc: () => void = obtainGc();
