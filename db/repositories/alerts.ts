import { and, eq, inArray, isNull } from 'drizzle-orm';
import { SubscriberSchema, type Alert, type Channel, type Subscriber } from '../../domain/alerts.ts';
import type { Db } from '../client.ts';
import { alertDeliveries, alerts, notificationSubscribers } from '../schema.ts';

export type AlertRow = typeof alerts.$inferSelect;
export type DeliveryRow = typeof alertDeliveries.$inferSelect;
export type DeliveryEvent = 'alert' | 'escalation';

/** Stores the alert once per (tenant, rule, subject): raising it again returns the first row. */
export async function storeAlert(db: Db, alert: Alert): Promise<AlertRow> {
  await db
    .insert(alerts)
    .values({ ...alert, runId: alert.runId ?? null })
    .onConflictDoNothing();
  const [row] = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.tenantId, alert.tenantId), eq(alerts.rule, alert.rule), eq(alerts.subject, alert.subject)));
  return row;
}

/** Whether the alert of this (tenant, rule, subject) has been stored already. */
export async function alertStored(db: Db, alert: Pick<Alert, 'tenantId' | 'rule' | 'subject'>): Promise<boolean> {
  const [row] = await db
    .select({ alertId: alerts.alertId })
    .from(alerts)
    .where(and(eq(alerts.tenantId, alert.tenantId), eq(alerts.rule, alert.rule), eq(alerts.subject, alert.subject)))
    .limit(1);
  return row !== undefined;
}

export async function loadAlert(db: Db, alertId: string): Promise<AlertRow | undefined> {
  const [row] = await db.select().from(alerts).where(eq(alerts.alertId, alertId));
  return row;
}

/** Marks the alert acknowledged; the first acknowledgement stands. Undefined for an alert of no such tenant. */
export async function acknowledgeAlertRow(db: Db, tenantId: string, alertId: string, by: string): Promise<AlertRow | undefined> {
  await db
    .update(alerts)
    .set({ acknowledgedAt: new Date(), acknowledgedBy: by })
    .where(and(eq(alerts.alertId, alertId), eq(alerts.tenantId, tenantId), isNull(alerts.acknowledgedAt)));
  const [row] = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.alertId, alertId), eq(alerts.tenantId, tenantId)));
  return row;
}

/** The tenant's subscribers (all, or the users named), each as its preferences say. */
export async function listSubscribers(db: Db, tenantId: string, userIds?: string[]): Promise<Subscriber[]> {
  const where = userIds
    ? and(eq(notificationSubscribers.tenantId, tenantId), inArray(notificationSubscribers.userId, userIds))
    : eq(notificationSubscribers.tenantId, tenantId);
  const rows = await db.select().from(notificationSubscribers).where(where).orderBy(notificationSubscribers.userId);
  return rows.map((r) => SubscriberSchema.parse(r.preferences));
}

export async function saveSubscriber(db: Db, tenantId: string, subscriber: Subscriber): Promise<void> {
  const preferences = { ...subscriber } as Record<string, unknown>;
  await db
    .insert(notificationSubscribers)
    .values({ tenantId, userId: subscriber.userId, preferences })
    .onConflictDoUpdate({
      target: [notificationSubscribers.tenantId, notificationSubscribers.userId],
      set: { preferences, updatedAt: new Date() },
    });
}

interface NewDelivery {
  userId: string;
  channel: Channel;
  recipient: string;
  notBefore: string | null;
}

/** Outbox rows for the messages to send, created once per (alert, channel, recipient, event); returns them all. */
export async function openDeliveries(
  db: Db,
  alert: { alertId: string; tenantId: string },
  event: DeliveryEvent,
  planned: NewDelivery[],
): Promise<DeliveryRow[]> {
  if (!planned.length) return [];
  await db
    .insert(alertDeliveries)
    .values(
      planned.map((d) => ({
        ...alert,
        ...d,
        event,
        status: 'PENDING',
        notBefore: d.notBefore ? new Date(d.notBefore) : null,
      })),
    )
    .onConflictDoNothing();
  return db
    .select()
    .from(alertDeliveries)
    .where(and(eq(alertDeliveries.alertId, alert.alertId), eq(alertDeliveries.event, event)))
    .orderBy(alertDeliveries.userId, alertDeliveries.channel);
}

export async function loadDelivery(db: Db, deliveryId: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(alertDeliveries).where(eq(alertDeliveries.deliveryId, deliveryId));
  return row;
}

/** SENDING before the send (a retry that finds it knows the outcome of the last attempt is unknown), then SENT, RETRYING or FAILED. */
export async function markDelivery(
  db: Db,
  deliveryId: string,
  change: { status: 'SENDING' | 'SENT' | 'RETRYING' | 'FAILED'; attempts?: number; providerMessageId?: string; lastError?: string | null },
): Promise<void> {
  await db
    .update(alertDeliveries)
    .set({ ...change, ...(change.status === 'SENT' ? { sentAt: new Date(), lastError: null } : {}) })
    .where(eq(alertDeliveries.deliveryId, deliveryId));
}
