import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { activityInterceptors } from '../../activities/failures.ts';
import { rebuildError, serializeError, solveInThread } from '../../activities/optimize/run-in-thread.ts';
import { SolverCrashedError } from '../../activities/optimize/solve.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { handJob, handRequest, problemFromRequest } from '../support/problem.ts';

const E1 = { id: 'E1', name: 'Electric 1', type: 'electric', capacityKw: 100, efficiency: 1 } as const;

/** What an activity's rejection looks like after the workers' interceptors. */
function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  const env = new MockActivityEnvironment(undefined, { interceptors: activityInterceptors, logger: new DefaultLogger('ERROR') });
  return env.run(work).then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('the activity interceptor', () => {
  it('turns a DomainError into a non-retryable ApplicationFailure typed with its code, with the field problems', async () => {
    const problems = [{ path: 'schedule.jobs[0].deadline', message: 'must be after earliestStart' }];
    const err = await failureOf(async () => {
      throw new DomainError(ErrorCode.INVALID_SCHEDULE, 'invalid run request', problems);
    });
    expect(err).toBeInstanceOf(ApplicationFailure);
    const failure = err as ApplicationFailure;
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('E001');
    expect(failure.message).toBe('invalid run request: schedule.jobs[0].deadline: must be after earliestStart');
    expect(failure.details).toEqual([{ code: 'E001', problems }]);
  });

  it('lets any other error through as it is, so Temporal retries it', async () => {
    const thrown = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    expect(await failureOf(() => Promise.reject(thrown))).toBe(thrown);
  });
});

describe('errors crossing the solver thread', () => {
  it('a DomainError from the solve arrives as a DomainError with its code and problems, and so fails for good', async () => {
    const request = handRequest(
      [handJob('OK', 100, '00:00', '23:00'), handJob('LATE', 500, '06:00', '08:00', { allowedEquipment: ['E1'] })],
      [E1],
      { allOrNothing: true },
    );
    const options = { timeLimitSeconds: 20, mipGap: 0 };
    const err = await solveInThread(problemFromRequest(request), options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'E003', problems: [{ path: 'schedule.jobs[1]', message: expect.stringContaining('job LATE') }] });
    const failure = await failureOf(() => Promise.reject(err));
    expect(failure).toMatchObject({ type: 'E003', nonRetryable: true });
  });

  it('other errors keep their class, name, message and stack, and stay retryable', async () => {
    const crashed = new SolverCrashedError('HiGHS aborted before any plan was found: RuntimeError: Aborted()');
    const rebuilt = rebuildError(structuredClone(serializeError(crashed)));
    expect(rebuilt).toBeInstanceOf(SolverCrashedError);
    expect(rebuilt).toMatchObject({ name: 'SolverCrashed', message: crashed.message, stack: crashed.stack });

    const typeError = rebuildError(structuredClone(serializeError(new TypeError("Cannot read properties of undefined (reading 'id')"))));
    expect(typeError).toBeInstanceOf(TypeError);
    expect(typeError.message).toBe("Cannot read properties of undefined (reading 'id')");

    const odd = new Error('the model has no columns');
    odd.name = 'ModelError';
    expect(rebuildError(structuredClone(serializeError(odd)))).toMatchObject({ name: 'ModelError', message: 'the model has no columns' });
    expect(rebuildError(structuredClone(serializeError('a thrown string')))).toMatchObject({ name: 'Error', message: 'a thrown string' });

    expect(await failureOf(() => Promise.reject(rebuilt))).toBe(rebuilt);
  });
});
