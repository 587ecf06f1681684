/** The README's configuration table stays true to the SETTINGS table the code reads. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadConfig, SETTINGS } from '../../../src/config/config.js';
import { projectPath } from '../../../src/shared/paths.js';

const readme = readFileSync(projectPath('README.md'), 'utf8');
const table = readme.slice(readme.indexOf('<!-- settings-table'), readme.indexOf('<!-- /settings-table -->'));
const rows = new Map(
  [...table.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[1] ?? '', { def: (m[2] ?? '').trim(), doc: (m[3] ?? '').trim() }]),
);

describe('README configuration table', () => {
  it('lists every setting and nothing else', () => {
    assert.deepEqual([...rows.keys()].sort(), Object.keys(SETTINGS).sort());
  });

  it('shows each setting with the documentation the code carries', () => {
    for (const [name, s] of Object.entries(SETTINGS)) assert.equal(rows.get(name)?.doc, s.doc, name);
  });

  it('shows the defaults the code applies', () => {
    const defaults = loadConfig({}) as unknown as Record<string, unknown>;
    const expected: Record<string, unknown> = {
      HOST: defaults.host,
      PORT: defaults.port,
      LOG_LEVEL: defaults.logLevel,
      XML_MAX_BYTES: (defaults.xml as { maxBytes: number }).maxBytes,
      XML_MAX_DEPTH: (defaults.xml as { maxDepth: number }).maxDepth,
      SHUTDOWN_TIMEOUT_MS: defaults.shutdownTimeoutMs,
      QUEUE_PREFIX: defaults.queuePrefix,
    };
    for (const [name, value] of Object.entries(expected)) assert.equal(rows.get(name)?.def, `\`${String(value)}\``, name);
    assert.equal(rows.get('DATA_DIR')?.def, '`./data`');
  });
});
