import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runValidate } from '../../../src/conformance/validate-command.js';
import { repoPath, sharedPath } from '../../support/paths.js';
import { CapturingStream } from '../../support/streams.js';
import { glMarketDocument } from '../../support/xml-docs.js';

const samples = sharedPath('samples', 'iec62325');
const officialIec = sharedPath('conformance', 'iec62325');
const hostile = repoPath('test', 'fixtures', 'xml', 'hostile');

interface Run {
  code: number;
  out: CapturingStream;
  err: CapturingStream;
}

async function run(argv: string[], isTTY = false): Promise<Run> {
  const out = new CapturingStream();
  const err = new CapturingStream();
  const code = await runValidate(argv, { stdout: out, stderr: err, isTTY });
  return { code, out, err };
}

interface FileLine {
  path: string;
  valid: boolean;
  family: string | null;
  documentType: string | null;
  version: string | null;
  issues: { code: string; line: number | null; column: number | null; message: string }[];
  notes: { code: string; message: string }[];
  error?: { code: string; message: string };
}

interface SummaryLine {
  summary: { files: number; valid: number; invalid: number; unreadable: number; issues: number; elapsedMs: number; schemaDirs: string[] };
}

function jsonLines(r: Run): { files: FileLine[]; summary: SummaryLine['summary'] } {
  const parsed = r.out.lines.map((l) => JSON.parse(l) as FileLine | SummaryLine);
  const last = parsed.pop();
  assert.ok(last && 'summary' in last, 'the last line is the summary');
  return { files: parsed as FileLine[], summary: last.summary };
}

describe('tps-hub validate', () => {
  it('exits 0 when every document is valid and prints only the summary', async () => {
    const files = readdirSync(samples)
      .filter((f) => f.endsWith('.xml') && f !== 'hexagon__unavailability.consumption.xml')
      .map((f) => join(samples, f));
    const r = await run([...files, '--schemas', officialIec]);
    assert.equal(r.code, 0, r.err.text);
    assert.equal(r.out.lines.length, 1);
    assert.match(r.out.text, /^checked 7 files: 7 valid, 0 invalid \(0 issues\) in \d+\.\d\d s\n$/);
    assert.equal(r.err.text, '');
  });

  it('exits 1 for the 8 samples and prints path:line: message [CODE] for each error (column unknown, left out)', async () => {
    const r = await run([samples, '--schemas', officialIec]);
    assert.equal(r.code, 1);
    const bad = join(samples, 'hexagon__unavailability.consumption.xml');
    const expected = (line: number): string =>
      `${bad}:${line}: Element '{urn:iec62325.351:tc57wg16:451-6:outagedocument:3:0}quantity': '' is not a valid value of the atomic type 'xs:decimal'. [XML_SCHEMA_INVALID]`;
    assert.deepEqual(r.out.lines.slice(0, 2), [expected(55), expected(74)]);
    assert.match(r.out.lines[2] ?? '', /^checked 8 files: 7 valid, 1 invalid \(2 issues\) in /);
    assert.equal(r.out.lines.length, 3);
  });

  it('prints line and column when both are known', async () => {
    const r = await run([join(hostile, 'malformed-tag-mismatch.xml'), '--schemas', officialIec]);
    assert.equal(r.code, 1);
    assert.equal(
      r.out.lines[0],
      `${join(hostile, 'malformed-tag-mismatch.xml')}:5:18: Opening and ending tag mismatch: type line 5 and typ [XML_MALFORMED]`,
    );
  });

  it('prints path: message when there is no line', async () => {
    const r = await run([join(hostile, 'empty.xml'), '--schemas', officialIec]);
    assert.equal(r.out.lines[0], `${join(hostile, 'empty.xml')}: the document is empty (0 bytes) [XML_EMPTY]`);
  });

  it('--json writes one object per file and a summary, in a stable shape', async () => {
    const r = await run([samples, '--json', '--schemas', officialIec]);
    assert.equal(r.code, 1);
    const { files, summary } = jsonLines(r);
    assert.equal(files.length, 8);
    assert.deepEqual(Object.keys(files[0] ?? {}), ['path', 'valid', 'family', 'documentType', 'version', 'issues', 'notes']);
    const gl = files.find((f) => f.path.endsWith('hexagon__gl.load.singlepoint.xml'));
    assert.deepEqual(gl, {
      path: join(samples, 'hexagon__gl.load.singlepoint.xml'),
      valid: true,
      family: 'iec62325',
      documentType: 'GL_MarketDocument',
      version: '3:0',
      issues: [],
      notes: [],
    });
    const bad = files.find((f) => !f.valid);
    assert.deepEqual(
      bad?.issues.map((i) => [i.code, i.line, i.column]),
      [
        ['XML_SCHEMA_INVALID', 55, null],
        ['XML_SCHEMA_INVALID', 74, null],
      ],
    );
    assert.deepEqual(
      { ...summary, elapsedMs: 0 },
      { files: 8, valid: 7, invalid: 1, unreadable: 0, issues: 2, schemaFailures: 0, elapsedMs: 0, schemaDirs: [officialIec] },
    );
  });

  it('--schemas is repeatable and validates UFTP fixtures against the official UFTP schemas', async () => {
    const uftpFixture = repoPath('test', 'conformance', 'fixtures', 'uftp', '3.1.0');
    const flexOffer = join(uftpFixture, 'FlexOffer.valid.1.xml');
    const r = await run([
      flexOffer,
      join(samples, 'hexagon__gl.load.singlepoint.xml'),
      '--json',
      '--schemas',
      officialIec,
      '--schemas',
      sharedPath('conformance', 'uftp'),
    ]);
    assert.equal(r.code, 0, r.out.text + r.err.text);
    const { files } = jsonLines(r);
    assert.deepEqual(
      files.map((f) => [f.family, f.documentType, f.version]),
      [
        ['uftp', 'FlexOffer', '3.1.0'],
        ['iec62325', 'GL_MarketDocument', '3:0'],
      ],
    );
  });

  it("uses the repository's xsd/ directory by default", async () => {
    const r = await run([join(hostile, 'unknown-document.xml'), '--json']);
    assert.equal(r.code, 1);
    const { files, summary } = jsonLines(r);
    assert.deepEqual(summary.schemaDirs, [repoPath('xsd')]);
    assert.equal(files[0]?.issues[0]?.code, 'XML_UNKNOWN_DOCUMENT');
  });

  it('--max-bytes refuses larger documents without reading them', async () => {
    const r = await run([samples, '--max-bytes', '1500', '--json', '--schemas', officialIec]);
    const { files } = jsonLines(r);
    const tooLarge = files.filter((f) => f.issues[0]?.code === 'XML_TOO_LARGE').map((f) => f.path.split('/').pop());
    assert.deepEqual(tooLarge.sort(), [
      'entsoejl__generation161d_water_reservoirs.xml',
      'entsoejl__load61c_week_ahead_forecast_NL.xml',
      'entsoejl__outages71ab_aggregated_unavailability_consumption.xml',
      'hexagon__configuration.xml',
      'hexagon__unavailability.consumption.xml',
    ]);
    assert.equal(r.code, 1);
  });

  describe('exits 2 on usage errors and unreadable input, naming the problem', () => {
    it('no file given', async () => {
      const r = await run([]);
      assert.equal(r.code, 2);
      assert.match(r.err.text, /no file or directory given/);
      assert.match(r.err.text, /Usage: tps-hub validate/);
    });
    it('an unknown option', async () => {
      const r = await run(['--frobnicate', samples]);
      assert.equal(r.code, 2);
      assert.match(r.err.text, /--frobnicate/);
    });
    it('a bad --max-bytes', async () => {
      const r = await run([samples, '--max-bytes', '10k']);
      assert.equal(r.code, 2);
      assert.match(r.err.text, /--max-bytes must be a positive whole number of bytes, got "10k"/);
    });
    it('a path that does not exist, while still validating the others', async () => {
      const missing = join(samples, 'no-such-file.xml');
      const r = await run([missing, join(samples, 'hexagon__gl.load.singlepoint.xml'), '--schemas', officialIec]);
      assert.equal(r.code, 2);
      assert.equal(r.err.text, `tps-hub validate: INPUT_UNREADABLE: cannot read ${missing}: no such file or directory\n`);
      assert.match(r.out.text, /checked 1 file: 1 valid, 0 invalid \(0 issues\), 1 unreadable/);
    });
    it('a schema directory that does not exist', async () => {
      const r = await run([samples, '--schemas', '/nonexistent/schemas']);
      assert.equal(r.code, 2);
      assert.match(r.err.text, /INPUT_UNREADABLE: schema directory \/nonexistent\/schemas cannot be read/);
    });
    it('a directory without documents', async () => {
      const empty = mkdtempSync(join(tmpdir(), 'tps-empty-'));
      try {
        const r = await run([empty, '--schemas', officialIec]);
        assert.equal(r.code, 2);
        assert.match(r.err.text, /no \*\.xml documents found/);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out.text, /^Usage: tps-hub validate/);
  });

  it('shows a progress line on a terminal only, and clears it', async () => {
    const tty = await run([samples, '--schemas', officialIec], true);
    assert.match(tty.err.text, /^\r\d+ files checked, \d+ invalid…/);
    assert.ok(tty.err.text.endsWith('\r\u001b[K'));
    const pipe = await run([samples, '--schemas', officialIec], false);
    assert.equal(pipe.err.text, '');
  });

  describe('a directory of 10,000 documents', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'tps-10k-'));
      const valid = glMarketDocument({ points: 2 });
      const invalid = valid.replace('<type>A65</type>', '<type>ZZZ</type>');
      for (let d = 0; d < 10; d++) {
        const sub = join(dir, `batch-${d}`);
        mkdirSync(sub);
        for (let i = 0; i < 1000; i++) {
          const n = d * 1000 + i;
          writeFileSync(
            join(sub, `doc-${String(n).padStart(5, '0')}.xml`),
            n % 1000 === 999 ? invalid : valid.replace('5693afe33ce749e4b0cea17f1f64f211', `m${n}`),
          );
        }
      }
      writeFileSync(join(dir, 'README.txt'), 'not a document');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('validates them all in seconds and counts right', async () => {
      const t0 = performance.now();
      const r = await run([dir, '--json', '--schemas', officialIec], true);
      const seconds = (performance.now() - t0) / 1000;
      console.log(`validated 10,000 files in ${seconds.toFixed(2)} s (${Math.round(10_000 / seconds)} files/s)`);
      assert.equal(r.code, 1);
      const { files, summary } = jsonLines(r);
      assert.equal(files.length, 10_000);
      assert.deepEqual([summary.files, summary.valid, summary.invalid, summary.issues, summary.unreadable], [10_000, 9_990, 10, 10, 0]);
      assert.deepEqual(
        files.filter((f) => !f.valid).map((f) => f.path.slice(dir.length + 1)),
        Array.from({ length: 10 }, (_, d) => join(`batch-${d}`, `doc-${String(d * 1000 + 999).padStart(5, '0')}.xml`)),
      );
      assert.ok(seconds < 60, `took ${seconds.toFixed(1)} s`);
      assert.match(r.err.text, /\r10000 files checked|\r\d+ files checked/);
    });
  });
});
