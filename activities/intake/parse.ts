import { ErrorCode, DomainError } from '../../domain/errors.ts';
import type { IntakeOutput, RunRequest } from '../../domain/run-request.ts';
import { canonicalJsonAdapter, jsonObject } from './adapters/canonical-json.ts';
import type { ConversionProblem } from './adapters/types.ts';
import { AUTO_FORMAT, INPUT_FORMATS } from './adapters/types.ts';
import { readRunRequest, sniff, type IntakeOptions, type IntakeRead } from './registry.ts';
import { checkSize, type RawInput } from './source.ts';
import { JsonPathSourceMap } from './adapters/canonical-json.ts';
import { validateConversion } from './validate.ts';

export { INPUT_FORMATS, type InputFormat } from './adapters/types.ts';

/** The intake step's view of a validated request. */
export function toIntakeOutput(request: RunRequest): IntakeOutput {
  return {
    schedule: request.schedule,
    settings: request.settings,
    notify: request.notify,
    supplied: { tariff: request.tariff, equipment: request.equipment },
    ...(request.register ? { register: true as const } : {}),
  };
}

/** Reads a submitted file of any supported format (see registry.ts) into the intake step's output. */
export async function readSubmission(input: RawInput, options: IntakeOptions = {}): Promise<{ output: IntakeOutput; read: IntakeRead }> {
  const read = await readRunRequest(input, options);
  return { output: toIntakeOutput(read.request), read };
}

/** The intake step's compute: a stored submission in the format its submitter named, or recognised. */
export async function readStoredSubmission(stored: { bytes: Uint8Array; format: string; fileName?: string }): Promise<IntakeOutput> {
  const format = stored.format === AUTO_FORMAT ? undefined : stored.format;
  const { output } = await readSubmission({ bytes: stored.bytes, fileName: stored.fileName }, { format });
  return output;
}

/**
 * Parses canonical JSON text synchronously (tests and tools that hold a request in memory);
 * files of other formats go through `readSubmission`.
 */
export function parseSubmission(content: string, format: string): IntakeOutput {
  if (format !== 'json') {
    throw new DomainError(
      ErrorCode.INVALID_SCHEDULE,
      `parseSubmission reads JSON only; "${format}" goes through readSubmission (formats: ${INPUT_FORMATS.join(', ')})`,
    );
  }
  const input = { bytes: Buffer.from(content, 'utf8') };
  checkSize(input);
  const problems: ConversionProblem[] = [];
  const object = jsonObject(sniff(input), problems);
  const request = validateConversion({ request: object ?? {}, sources: new JsonPathSourceMap({}), problems }, canonicalJsonAdapter.title);
  return toIntakeOutput(request);
}
