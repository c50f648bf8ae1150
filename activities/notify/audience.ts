import { DateTime } from 'luxon';
import { atLeast, type Channel, type Severity, type Subscriber } from '../../domain/alerts.ts';

/** One message to open in the outbox. */
export interface AudienceMessage {
  userId: string;
  channel: Channel;
  recipient: string;
  /** ISO instant at which the user's quiet hours end, or null to send at once. */
  notBefore: string | null;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The end of the quiet hours `now` falls in, in the user's time zone, or null outside them. A
 * window wraps midnight when it ends before it starts (22:00 to 06:00); equal ends mean none.
 * Wall-clock arithmetic, so a DST change inside the window moves its end with the clock.
 */
export function quietUntil(now: Date, timeZone: string, quiet: { from: string; to: string } | undefined): string | null {
  if (!quiet) return null;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return null;
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const minute = local.hour * 60 + local.minute;
  let endDay: number;
  if (from < to) {
    if (minute < from || minute >= to) return null;
    endDay = 0;
  } else if (minute >= from) endDay = 1;
  else if (minute < to) endDay = 0;
  else return null;
  const end = local
    .startOf('day')
    .plus({ days: endDay + Math.floor(to / 1440) })
    .set({ hour: Math.floor((to % 1440) / 60), minute: to % 60 });
  return end.toUTC().toISO();
}

const addressOf = (s: Subscriber, channel: Channel) => ({ email: s.email, slack: s.slackChannel, webhook: s.webhookUrl })[channel]!;

/**
 * Who gets an alert, on which channels and from when: subscribers whose severity filter lets it
 * through (all of them for an escalation), on each of their channels, after their quiet hours
 * unless it is critical.
 */
export function audienceFor(severity: Severity, subscribers: Subscriber[], now: Date, escalation = false): AudienceMessage[] {
  return subscribers
    .filter((s) => escalation || atLeast(severity, s.minSeverity))
    .flatMap((s) => {
      const notBefore = severity === 'critical' ? null : quietUntil(now, s.timeZone, s.quietHours);
      return s.channels.map((channel) => ({ userId: s.userId, channel, recipient: addressOf(s, channel), notBefore }));
    });
}

/** Whom to escalate to, and after how long: the next people named by those the alert reached, after the shortest wait. */
export function escalationFor(reached: Subscriber[]): { afterMinutes: number; userIds: string[] } | null {
  const named = reached.filter((s) => s.escalateTo !== undefined);
  if (!named.length) return null;
  return {
    afterMinutes: Math.min(...named.map((s) => s.ackWithinMinutes)),
    userIds: [...new Set(named.map((s) => s.escalateTo!))],
  };
}
