import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import { DrizzleQueryError } from 'drizzle-orm';
import { boundedText } from '../domain/bounded-text.ts';
import { DomainError } from '../domain/errors.ts';

/** How much of the database's own message a failure repeats. */
const DATABASE_MESSAGE_MAX = 300;

/**
 * Bad input and infeasible plans do not improve with retries: they fail for good, with the field
 * list. A failed query fails without its SQL and parameters (they would reach the history, the
 * run row and the API); a value Postgres refuses (SQLSTATE class 22, e.g. a NUL in text) will
 * be refused again, so it is not retried either. Anything else is retried.
 */
function toActivityFailure(err: unknown): unknown {
  if (err instanceof DomainError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.code,
      nonRetryable: true,
      details: [{ code: err.code, problems: err.problems }],
    });
  }
  if (err instanceof DrizzleQueryError) return databaseFailure(err);
  return err;
}

function databaseFailure(err: DrizzleQueryError): ApplicationFailure {
  const cause = err.cause instanceof Error ? err.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const refusedValue = sqlState?.startsWith('22') ?? false;
  return ApplicationFailure.create({
    message: `database query failed: ${boundedText(cause?.message ?? 'no reason given', DATABASE_MESSAGE_MAX)}`,
    type: refusedValue ? 'DatabaseRefusedValue' : 'DatabaseError',
    nonRetryable: refusedValue,
    details: sqlState ? [{ sqlState }] : [],
  });
}

/** Applies `toActivityFailure` to whatever an activity throws. */
class ActivityFailureInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      throw toActivityFailure(err);
    }
  }
}

/** The activity interceptors both workers register (`interceptors: { activity: activityInterceptors }`). */
export const activityInterceptors: ActivityInterceptorsFactory[] = [() => ({ inbound: new ActivityFailureInterceptor() })];
