import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../domain/errors.ts';

/** Bad input and infeasible plans do not improve with retries: fail them for good, with the field list. */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof DomainError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.code,
      nonRetryable: true,
      details: [{ code: err.code, problems: err.problems }],
    });
  }
  return err;
}

export async function withDomainFailures<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
