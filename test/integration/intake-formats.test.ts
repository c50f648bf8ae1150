import ExcelJS from 'exceljs';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertEquipment } from '../../db/repositories/equipment.ts';
import { upsertTariff } from '../../db/repositories/tariffs.ts';
import { optimizedAssignments, productionJobs, runInputs } from '../../db/schema.ts';
import { sha256Hex } from '../../domain/hashing.ts';
import { TASK_QUEUES } from '../../domain/pipeline.ts';
import { TariffSchema } from '../../domain/tariff.ts';
import { SEED_TARIFF } from '../../examples/generate.ts';
import { call, expectErrorShape, startApi, testOptions, token, type TestApi } from '../api/support.ts';
import { runRow, startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { fixture, read, SAME_DAY_HEATERS } from '../intake/support.ts';

const TENANT = 'acme-metals';
const SITE = 'plant-2';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Each same-day file with `deterministic: true` added in its own syntax (plans compared across runs must not depend on the clock). */
async function deterministic(name: string): Promise<Buffer> {
  const bytes = fixture(name);
  const addToJson = (edit: (doc: Record<string, Record<string, unknown>>) => void) => {
    const doc = JSON.parse(bytes.toString('utf8'));
    edit(doc);
    return Buffer.from(JSON.stringify(doc, null, 2));
  };
  if (name === 'same-day.json' || name === 'same-day.legacy.json') return addToJson((d) => (d.settings = { deterministic: true }));
  if (name === 'same-day.dto.json')
    return addToJson((d) => (d.metadata.settings = { ...(d.metadata.settings as object), deterministic: true }));
  if (name === 'same-day.csv') return Buffer.from(`# deterministic: true\n${bytes.toString('utf8')}`);
  // The European file: a BOM first, then `# key; value` lines ending in CRLF.
  if (name === 'same-day.eu.csv') return Buffer.concat([bytes.subarray(0, 3), Buffer.from('# deterministic; true\r\n'), bytes.subarray(3)]);
  if (name.endsWith('.xml'))
    return Buffer.from(bytes.toString('utf8').replace('</runRequest>', '<settings deterministic="true"/></runRequest>'));
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  book.getWorksheet('Settings')!.eachRow((row) => {
    if (row.getCell(1).value === 'deterministic') row.getCell(2).value = true;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The files and how the API is sent each: JSON shapes as JSON (recognised), the rest by their media type. */
const FILES = [
  ['same-day.json', 'application/json'],
  ['same-day.legacy.json', 'application/json'],
  ['same-day.dto.json', 'application/json'],
  ['same-day.csv', 'text/csv'],
  ['same-day.eu.csv', 'text/csv; charset=utf-8'],
  ['same-day.xml', 'application/xml'],
  ['same-day.xlsx', XLSX_TYPE],
] as const;

describe('the same day in every format through the API and the real pipeline', () => {
  let p: TestPipeline;
  let api: TestApi;
  let planner: string;
  const runs = new Map<string, string>();
  const files = new Map<string, Buffer>();

  beforeAll(async () => {
    p = await startTestPipeline();
    api = await startApi(testOptions({ taskQueue: TASK_QUEUES.pipeline }));
    planner = await token(TENANT, ['planner']);
    await upsertTariff(p.db, TENANT, SITE, TariffSchema.parse(SEED_TARIFF));
    await upsertEquipment(p.db, TENANT, SITE, SAME_DAY_HEATERS, '2026-11-24T00:00:00Z', '2026-11-27T00:00:00Z');
    for (const [name, type] of FILES) {
      const bytes = await deterministic(name);
      files.set(name, bytes);
      const reply = await call(api.base, 'POST', '/api/runs', { token: planner, raw: bytes, headers: { 'content-type': type } });
      expect(reply.status, `${name}: ${reply.text}`).toBe(202);
      runs.set(name, (reply.json as { runId: string }).runId);
    }
    await Promise.all([...runs.values()].map((runId) => p.client.workflow.getHandle(runId).result()));
  }, 300_000);

  afterAll(async () => {
    await api?.close();
    await p?.close();
  });

  const optimizedPlan = async (runId: string) =>
    p.db
      .select({
        job: productionJobs.jobRef,
        heater: optimizedAssignments.equipmentId,
        start: optimizedAssignments.scheduledStart,
        end: optimizedAssignments.scheduledEnd,
      })
      .from(optimizedAssignments)
      .innerJoin(productionJobs, eq(productionJobs.jobId, optimizedAssignments.jobId))
      .where(and(eq(optimizedAssignments.runId, runId), eq(optimizedAssignments.plan, 'optimized')))
      .orderBy(asc(productionJobs.jobRef));

  it('gives one canonical hash, one intake hash and the same plan at the same cost', async () => {
    const reads = await Promise.all(FILES.map(([name]) => read(files.get(name)!, name)));
    expect(new Set(reads.map((r) => r.canonicalHash)).size).toBe(1);
    const rows = await Promise.all(FILES.map(([name]) => runRow(p, runs.get(name)!)));
    for (const row of rows)
      expect(row).toMatchObject({ status: 'SUCCESS', tenantId: TENANT, siteId: SITE, jobsCount: 7, assignmentsCount: 7 });
    expect(new Set(rows.map((r) => r.inputHash)).size).toBe(1);
    expect(new Set(rows.map((r) => r.optimizedCost)).size).toBe(1);
    const plans = await Promise.all(FILES.map(([name]) => optimizedPlan(runs.get(name)!)));
    expect(plans[0]).toHaveLength(7);
    for (const plan of plans.slice(1)) expect(plan).toEqual(plans[0]);
  });

  it('keeps each file exactly as received, with its hash: text as text, the workbook as bytes', async () => {
    for (const [name] of FILES) {
      const [stored] = await p.db
        .select()
        .from(runInputs)
        .where(eq(runInputs.runId, runs.get(name)!));
      const bytes = files.get(name)!;
      expect(stored.sha256).toBe(sha256Hex(bytes));
      const kept = stored.raw ?? Buffer.from(stored.content!, 'utf8');
      expect(kept.equals(bytes), name).toBe(true);
      expect(stored.raw === null, name).toBe(!name.endsWith('.xlsx'));
    }
  });

  it('refuses a broken file at the door with its places, stores nothing, and refuses media types it does not read', async () => {
    const csv = files
      .get('same-day.csv')!
      .toString('utf8')
      .replace('A-101,Anneal coil B,anneal,1000,kg,750', 'A-101,Anneal coil B,anneal,1000,kg,lots');
    const bad = await call(api.base, 'POST', '/api/runs', { token: planner, raw: csv, headers: { 'content-type': 'text/csv' } });
    expect(bad.status).toBe(400);
    const body = expectErrorShape(bad);
    expect(body.code).toBe('E001');
    expect(body.details).toContainEqual({ path: 'body row 11, column 6 (heating_kwh)', message: expect.stringContaining('lots') });
    const truncated = await call(api.base, 'POST', '/api/runs', {
      token: planner,
      raw: files.get('same-day.xlsx')!.subarray(0, 4000),
      headers: { 'content-type': XLSX_TYPE },
    });
    expect(truncated.status).toBe(400);
    expect(expectErrorShape(truncated).code).toBe('E001');
    const mismatch = await call(api.base, 'POST', '/api/runs?format=xml', {
      token: planner,
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(expectErrorShape(mismatch).details[0].path).toBe('query.format');
    const pdf = await call(api.base, 'POST', '/api/runs', { token: planner, raw: csv, headers: { 'content-type': 'application/pdf' } });
    expect(pdf.status).toBe(415);
    expect(expectErrorShape(pdf).details[0].path).toBe('headers.content-type');
    for (const body of [csv, files.get('same-day.xlsx')!.subarray(0, 4000)]) {
      expect(
        await p.db
          .select()
          .from(runInputs)
          .where(eq(runInputs.sha256, sha256Hex(body))),
      ).toEqual([]);
    }
  });

  it('checks the tenant a file names against the token', async () => {
    const other = await token('someone-else', ['planner']);
    const reply = await call(api.base, 'POST', '/api/runs', {
      token: other,
      raw: files.get('same-day.xml')!,
      headers: { 'content-type': 'application/xml' },
    });
    expect(reply.status).toBe(403);
    expect(expectErrorShape(reply).details[0].path).toBe('body.schedule.tenant');
  });
});
