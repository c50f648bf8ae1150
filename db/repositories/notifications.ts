import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { notifications } from '../schema.ts';

interface NotificationKey {
  runId: string;
  channel: string;
  recipient: string;
}

const where = (key: NotificationKey) =>
  and(eq(notifications.runId, key.runId), eq(notifications.channel, key.channel), eq(notifications.recipient, key.recipient));

/** The message's row, created PENDING on first sight: it tells a retry whether it was already sent. */
export async function openNotification(
  db: Db,
  key: NotificationKey,
  tenantId: string,
): Promise<{ status: string; attempts: number; createdAt: Date }> {
  await db
    .insert(notifications)
    .values({ ...key, tenantId, status: 'PENDING' })
    .onConflictDoNothing();
  const [row] = await db
    .select({ status: notifications.status, attempts: notifications.attempts, createdAt: notifications.createdAt })
    .from(notifications)
    .where(where(key));
  return row;
}

export async function markNotificationSent(db: Db, key: NotificationKey, attempts: number, providerMessageId: string): Promise<void> {
  await db
    .update(notifications)
    .set({ status: 'SENT', attempts, providerMessageId, sentAt: new Date(), lastError: null })
    .where(where(key));
}

export async function markNotificationRetrying(db: Db, key: NotificationKey, attempts: number, lastError: string): Promise<void> {
  await db.update(notifications).set({ status: 'RETRYING', attempts, lastError }).where(where(key));
}

/** A message that can never go out (a channel that does not exist, a bot not in it): not retried. */
export async function markNotificationFailed(db: Db, key: NotificationKey, attempts: number, lastError: string): Promise<void> {
  await db.update(notifications).set({ status: 'FAILED', attempts, lastError }).where(where(key));
}
