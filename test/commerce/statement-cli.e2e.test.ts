// `support-mcp statement` through the built CLI: it writes the same PDF the tools return.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/repository/dataset.js';
import { FixtureRepository } from '../../src/repository/fixtures/index.js';
import { lastFullMonth } from '../../src/services/billing.js';
import { connect } from '../server/harness.js';
import { runCli } from '../server/cli.js';
import { pdfText } from '../support/pdf-text.js';

describe('support-mcp statement', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'statement-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the PDF the tools return (same text), for the last full month by default', async () => {
    const out = path.join(dir, 'kwd.pdf');
    const run = await runCli(['statement', '--customer', 'TEL-1007', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const fromCli = await pdfText(await readFile(out));
    const mcp = await connect(new FixtureRepository(await loadDataset()));
    try {
      const r = await mcp.call('get_statement', { customer_id: 'TEL-1007', month: lastFullMonth() });
      const block = r.content[1] as { resource: { blob: string } };
      expect(fromCli.text).toBe((await pdfText(Buffer.from(block.resource.blob, 'base64'))).text);
    } finally {
      await mcp.close();
    }
    expect(fromCli.text).toContain('Closing balance  12.345 KWD');
  });

  it('a month with no activity still writes a valid statement; bad input is an exit code and a message', async () => {
    const out = path.join(dir, 'empty.pdf');
    expect((await runCli(['statement', '--customer', 'TEL-1003', '--month', '2023-02', '--out', out])).code).toBe(0);
    expect((await pdfText(await readFile(out))).text).toContain('No activity this month');
    const future = await runCli(['statement', '--customer', 'TEL-1003', '--month', '2999-01', '--out', out]);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/VALIDATION_FAILED/);
    const unknown = await runCli(['statement', '--customer', 'TEL-0000', '--out', out]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/NOT_FOUND/);
    expect((await runCli(['statement', '--out', out])).code).toBe(2);
  });
});
