import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, read } from './support.ts';

const cli = (args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/heatscheduler.ts', ...args], {
    cwd: new URL('../..', import.meta.url).pathname,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('heatscheduler convert', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hs-convert-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a workbook as the scheduler DTO, which reads back to the same canonical request', async () => {
    const out = join(dir, 'day.dto.json');
    const { code, stderr } = await cli(['convert', 'test/fixtures/intake/same-day.xlsx', '--to', 'dto', '-o', out]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/same-day\.xlsx: xlsx, 7 jobs, file sha256 [0-9a-f]{12}…, canonical [0-9a-f]{12}…/);
    const [back, original] = await Promise.all([read(await readFile(out), 'day.dto.json'), read(fixture('same-day.json'))]);
    expect(back.format).toBe('dto');
    expect(back.canonicalHash).toBe(original.canonicalHash);
  });

  it('lists every problem with its place and exits 1', async () => {
    const { code, stdout } = await cli(['convert', 'test/fixtures/intake/same-day.csv', '--format', 'xml']);
    expect(code).toBe(1);
    expect(stdout.split('\n')[0]).toBe('Cannot convert test/fixtures/intake/same-day.csv (E001): invalid XML run request same-day.csv');
    expect(stdout).toContain('  - same-day.csv line 1, column 1: not well-formed XML:');
  });
});
