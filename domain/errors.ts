/** Error codes shared by the API, the workflow and the reports (after the scheduler-UI seed). */
export const ErrorCode = {
  INVALID_SCHEDULE: 'E001',
  SOLVER_TIMEOUT: 'E002',
  INFEASIBLE_PROBLEM: 'E003',
  VERSION_CONFLICT: 'E004',
  RESOURCE_LOCKED: 'E005',
  TARIFF_NOT_FOUND: 'E006',
  EQUIPMENT_NOT_FOUND: 'E007',
  INTEGRITY_VIOLATION: 'E008',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface FieldProblem {
  path: string;
  message: string;
}

/** A domain error that names its code and, for bad input, every offending field. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** The message without the field problems appended. */
    readonly summary: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(problems.length ? `${summary}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}` : summary);
    this.name = 'DomainError';
  }
}
