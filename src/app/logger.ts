/** Structured JSON logs (one object per line) on stdout, via pino. */
import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.js';

export type { Logger };

export function createLogger(level: Config['logLevel'], destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'tps-hub', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
