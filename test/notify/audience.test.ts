import { describe, expect, it } from 'vitest';
import { audienceFor, escalationFor, quietUntil } from '../../activities/notify/audience.ts';
import { SubscriberSchema, type SubscriberInput } from '../../domain/alerts.ts';

const sub = (s: Partial<SubscriberInput> & { userId: string }) => SubscriberSchema.parse({ email: `${s.userId}@plant.example`, ...s });

describe('quiet hours', () => {
  const night = { from: '22:00', to: '06:00' };
  it('end at the next "to" in the user time zone, across midnight', () => {
    // 23:30 in Chicago (UTC-6 in November) → 06:00 next morning = 12:00 UTC.
    expect(quietUntil(new Date('2026-11-25T05:30:00Z'), 'America/Chicago', night)).toBe('2026-11-25T12:00:00.000Z');
    // 03:00 Chicago → 06:00 the same morning.
    expect(quietUntil(new Date('2026-11-25T09:00:00Z'), 'America/Chicago', night)).toBe('2026-11-25T12:00:00.000Z');
    // 12:00 Chicago: not quiet.
    expect(quietUntil(new Date('2026-11-25T18:00:00Z'), 'America/Chicago', night)).toBeNull();
  });

  it('follow the wall clock over a DST change (Europe/Berlin, 29 March 2026: 02:00 becomes 03:00)', () => {
    // 01:00 CET (00:00 UTC) → 06:00 CEST = 04:00 UTC, five wall-clock hours but four real ones.
    expect(quietUntil(new Date('2026-03-29T00:00:00Z'), 'Europe/Berlin', { from: '00:00', to: '06:00' })).toBe('2026-03-29T04:00:00.000Z');
  });

  it('within one day, ending at 24:00, and none when from equals to', () => {
    expect(quietUntil(new Date('2026-11-25T13:00:00Z'), 'UTC', { from: '12:00', to: '14:00' })).toBe('2026-11-25T14:00:00.000Z');
    expect(quietUntil(new Date('2026-11-25T14:00:00Z'), 'UTC', { from: '12:00', to: '14:00' })).toBeNull();
    expect(quietUntil(new Date('2026-11-25T23:00:00Z'), 'UTC', { from: '20:00', to: '24:00' })).toBe('2026-11-26T00:00:00.000Z');
    expect(quietUntil(new Date('2026-11-25T23:00:00Z'), 'UTC', { from: '08:00', to: '08:00' })).toBeNull();
  });
});

describe('who gets an alert', () => {
  const now = new Date('2026-11-25T05:30:00Z'); // 23:30 in Chicago
  const planner = sub({ userId: 'planner', minSeverity: 'warning', channels: ['email', 'slack'], slackChannel: 'C1' });
  const manager = sub({
    userId: 'manager',
    minSeverity: 'critical',
    timeZone: 'America/Chicago',
    quietHours: { from: '22:00', to: '06:00' },
  });
  const sleeper = sub({ userId: 'sleeper', minSeverity: 'info', timeZone: 'America/Chicago', quietHours: { from: '22:00', to: '06:00' } });

  it('filters by severity, sends on every channel of the user, and holds a non-critical message until the quiet hours end', () => {
    expect(audienceFor('warning', [planner, manager, sleeper], now)).toEqual([
      { userId: 'planner', channel: 'email', recipient: 'planner@plant.example', notBefore: null },
      { userId: 'planner', channel: 'slack', recipient: 'C1', notBefore: null },
      { userId: 'sleeper', channel: 'email', recipient: 'sleeper@plant.example', notBefore: '2026-11-25T12:00:00.000Z' },
    ]);
  });

  it('lets a critical alert through the quiet hours', () => {
    expect(audienceFor('critical', [manager, sleeper], now).map((m) => [m.userId, m.notBefore])).toEqual([
      ['manager', null],
      ['sleeper', null],
    ]);
  });

  it('sends an escalation regardless of the severity filter', () => {
    expect(audienceFor('info', [manager], now, true)).toHaveLength(1);
  });

  it('escalates to the people the reached users name, after the shortest wait', () => {
    const a = sub({ userId: 'a', escalateTo: 'boss', ackWithinMinutes: 30 });
    const b = sub({ userId: 'b', escalateTo: 'boss', ackWithinMinutes: 10 });
    const c = sub({ userId: 'c', escalateTo: 'deputy', ackWithinMinutes: 45 });
    expect(escalationFor([a, b, c])).toEqual({ afterMinutes: 10, userIds: ['boss', 'deputy'] });
    expect(escalationFor([planner])).toBeNull();
  });
});

describe('preferences', () => {
  it('name the field a channel needs, and a bad time zone', () => {
    const bad = SubscriberSchema.safeParse({ userId: 'u', channels: ['slack', 'webhook'], timeZone: 'Mars/Olympus' });
    expect(bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'slackChannel: is needed for the slack channel',
      'webhookUrl: is needed for the webhook channel',
      'timeZone: is not an IANA time zone: Mars/Olympus',
    ]);
    expect(
      SubscriberSchema.safeParse({ userId: 'u', email: 'u@x.example', quietHours: { from: '7pm', to: '06:00' } }).error!.issues[0].path,
    ).toEqual(['quietHours', 'from']);
  });
});
