import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import { DomainError } from '../domain/errors.ts';

/** Bad input and infeasible plans do not improve with retries: fail them for good, with the field list. */
function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof DomainError)) return err;
  return ApplicationFailure.create({
    message: err.message,
    type: err.code,
    nonRetryable: true,
    details: [{ code: err.code, problems: err.problems }],
  });
}

/** Turns every activity's DomainError into a non-retryable ApplicationFailure typed with its code. */
class DomainFailureInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      throw toActivityFailure(err);
    }
  }
}

/** The activity interceptors both workers register (`interceptors: { activity: activityInterceptors }`). */
export const activityInterceptors: ActivityInterceptorsFactory[] = [() => ({ inbound: new DomainFailureInterceptor() })];
