import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

export const TimeZoneSchema = z
  .string()
  .refine((tz) => IANAZone.isValidZone(tz), { message: 'must be an IANA time zone such as Europe/Berlin' });

export const LocalDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d, { zone: 'utc' }).isValid, { message: 'is not a calendar date' });

/** An ISO 8601 instant; without an offset it is read in the site's time zone. */
export const InstantInputSchema = z.iso.datetime({ offset: true, local: true, message: 'must be an ISO 8601 date-time' });

export const TimeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a local time HH:MM (24:00 for end of day)');

/** Normalises an ISO instant to UTC (`...Z`, millisecond precision); local times use `zone`. */
export function toUtcIso(value: string, zone: string): string {
  const dt = DateTime.fromISO(value, { zone, setZone: false });
  if (!dt.isValid) throw new Error(`invalid instant ${value}: ${dt.invalidExplanation}`);
  return dt.toUTC().toISO({ suppressMilliseconds: false })!;
}

export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
