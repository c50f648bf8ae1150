import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { RunRequestSchema, type IntakeOutput } from '../../domain/run-request.ts';
import { parseOrThrow } from '../../domain/validation.ts';

export const INPUT_FORMATS = ['json'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** Parses a submission in one of the supported formats and validates it into the canonical model. */
export function parseSubmission(content: string, format: string): IntakeOutput {
  if (format !== 'json') {
    throw new DomainError(ErrorCode.INVALID_SCHEDULE, `unsupported input format "${format}" (supported: ${INPUT_FORMATS.join(', ')})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch (err) {
    throw new DomainError(ErrorCode.INVALID_SCHEDULE, `input is not valid JSON: ${(err as Error).message}`);
  }
  const request = parseOrThrow(RunRequestSchema, raw, ErrorCode.INVALID_SCHEDULE, 'run request');
  return {
    schedule: request.schedule,
    settings: request.settings,
    notify: request.notify,
    supplied: { tariff: request.tariff, equipment: request.equipment },
    ...(request.register ? { register: true as const } : {}),
  };
}
