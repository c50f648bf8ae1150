import { z } from 'zod';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { canonicalJson, sha256Hex } from '../../domain/hashing.ts';
import { HolidayCalendarSchema } from '../../domain/holidays.ts';
import { TariffSchema, type Tariff } from '../../domain/tariff.ts';
import { TimeZoneSchema } from '../../domain/time.ts';
import { fieldProblems } from '../../domain/validation.ts';
import { importUrdb } from './urdb.ts';

/** Where a site's tariff is pulled from, and how to read what comes back. */
export const TariffSourceSchema = z
  .object({
    tenant: z.string().trim().min(1).max(64),
    site: z.string().trim().min(1).max(64),
    url: z.url(),
    /** tariff: HeatScheduler's tariff JSON (with its price series, if any); urdb: a URDB record or API response. */
    format: z.enum(['tariff', 'urdb']).default('tariff'),
    /** URDB only: the site's time zone, its holidays and which record of a response with several. */
    timeZone: TimeZoneSchema.optional(),
    holidayCalendar: HolidayCalendarSchema.optional(),
    label: z.string().optional(),
    /** Sends the API key as this query parameter (URDB's `api_key`) instead of an Authorization header. */
    apiKeyParam: z.string().min(1).optional(),
    /** When to pull (cron, UTC). */
    cron: z.string().trim().min(9).default('0 5 * * *'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.format === 'urdb' && !s.timeZone)
      ctx.addIssue({ code: 'custom', path: ['timeZone'], message: 'is needed for URDB (it has no time zone)' });
  });
export type TariffSourceInput = z.input<typeof TariffSourceSchema>;
export type TariffSource = z.output<typeof TariffSourceSchema>;

/** A failure worth retrying: the service is down, slow, or answered something that is not its data. */
export class TariffServiceUnavailable extends Error {
  override name = 'TariffServiceUnavailable';
}

/** What the tariff service answered. */
export interface PulledDocument {
  status: number;
  contentType: string;
  body: string;
}

/**
 * The tariff in a service's answer. A 5xx or a page that is not JSON is worth retrying
 * (TariffServiceUnavailable); a refused key, a missing tariff or data that is not a valid tariff
 * is not (DomainError, naming what is wrong).
 */
export function readPulledTariff(source: TariffSource, answer: PulledDocument): { tariff: Tariff; notes: string[] } {
  const where = `${source.url} (${source.tenant}/${source.site})`;
  if (answer.status >= 500 || answer.status === 429) throw new TariffServiceUnavailable(`${where} answered ${answer.status}`);
  if (answer.status >= 400) {
    const why = answer.status === 401 || answer.status === 403 ? 'refused the API key' : 'has no tariff there';
    throw new DomainError(ErrorCode.TARIFF_NOT_FOUND, `tariff service ${where} ${why} (${answer.status})`);
  }
  const text = answer.body.trimStart();
  if (!/json/i.test(answer.contentType) || !(text.startsWith('{') || text.startsWith('['))) {
    throw new TariffServiceUnavailable(`${where} answered ${answer.contentType || 'no content type'}, not JSON: ${text.slice(0, 80)}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new TariffServiceUnavailable(`${where} answered broken JSON (${(err as Error).message})`);
  }
  if (source.format === 'urdb') {
    return importUrdb(document, { timeZone: source.timeZone!, holidayCalendar: source.holidayCalendar, label: source.label });
  }
  const parsed = TariffSchema.safeParse(document);
  if (!parsed.success)
    throw new DomainError(
      ErrorCode.INVALID_SCHEDULE,
      `tariff service ${where} sent an invalid tariff`,
      fieldProblems(parsed.error, 'tariff'),
    );
  return { tariff: parsed.data, notes: [] };
}

/** The hash the registry keeps of a tariff: a pulled tariff with the stored one's hash is no new version. */
export const tariffHash = (tariff: Tariff) => sha256Hex(canonicalJson(tariff));

const MAX_BYTES = 50 * 1024 * 1024;

/** Asks the source's endpoint for its tariff, with the API key; a timeout or an unreachable host is worth retrying. */
export async function fetchTariffDocument(source: TariffSource, options: { apiKey?: string; timeoutMs: number }): Promise<PulledDocument> {
  const url = new URL(source.url);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.apiKey && source.apiKeyParam) url.searchParams.set(source.apiKeyParam, options.apiKey);
  else if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs) });
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > MAX_BYTES)
      throw new TariffServiceUnavailable(`${source.url} sent ${length} bytes, over the ${MAX_BYTES} a tariff may have`);
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
  } catch (err) {
    if (err instanceof TariffServiceUnavailable) throw err;
    const e = err as Error & { cause?: { code?: string } };
    const why =
      e.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : `cannot be reached (${e.cause?.code ?? e.message})`;
    throw new TariffServiceUnavailable(`${source.url} ${why}`);
  }
}

/** How the pull workflow retries a source: attempts in all, the first wait doubling each time. */
export const PullRetrySchema = z
  .object({
    maximumAttempts: z.number().int().min(1).max(50).default(5),
    initialIntervalSeconds: z.number().positive().max(3600).default(60),
  })
  .strict();

/** The configured sources (TARIFF_SOURCES_FILE): one per tenant and site, each with its API key if it needs one. */
export const TariffSourcesSchema = z
  .array(
    TariffSourceSchema.safeExtend({
      apiKey: z.string().min(1).optional(),
      timeoutSeconds: z.number().positive().max(300).default(30),
      retry: PullRetrySchema.default({ maximumAttempts: 5, initialIntervalSeconds: 60 }),
    }),
  )
  .superRefine((sources, ctx) => {
    const seen = new Set<string>();
    sources.forEach((s, i) => {
      const key = `${s.tenant}/${s.site}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'site'], message: `${key} is configured twice` });
      seen.add(key);
    });
  });
export type ConfiguredTariffSource = z.output<typeof TariffSourcesSchema>[number];

/** The sources file's text read and checked; a bad file names the file and every field at fault. */
export function parseTariffSources(text: string, file: string): ConfiguredTariffSource[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new DomainError(ErrorCode.INVALID_SCHEDULE, `tariff sources ${file} is not JSON (${(err as Error).message})`);
  }
  const parsed = TariffSourcesSchema.safeParse(document);
  if (!parsed.success)
    throw new DomainError(ErrorCode.INVALID_SCHEDULE, `tariff sources ${file} are invalid`, fieldProblems(parsed.error, 'sources'));
  return parsed.data;
}

/** What a pull did: stored a new version, replaced the version of the same name and effective date, or found nothing new. */
export type PullOutcome = 'stored' | 'replaced' | 'unchanged';

/** Whether a pulled tariff is new: the same hash as the stored version of its name and effective date is nothing new. */
export function pullOutcome(pulledHash: string, storedHash: string | undefined): PullOutcome {
  if (storedHash === undefined) return 'stored';
  return storedHash === pulledHash ? 'unchanged' : 'replaced';
}

/** What one pull of a site's tariff did. */
export interface TariffPullResult {
  outcome: PullOutcome | 'failed';
  tenant: string;
  site: string;
  tariffName?: string;
  effectiveDate?: string;
  hash?: string;
  notes?: string[];
  message?: string;
}
