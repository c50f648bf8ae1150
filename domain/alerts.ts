import { z } from 'zod';
import { TimeOfDaySchema } from './time.ts';

/** Every alert rule. The last three have their source outside the pipeline and come in through raiseAlert. */
export const AlertRuleSchema = z.enum([
  'optimization_failed',
  'savings_below_threshold',
  'peak_near_limit',
  'deadline_at_risk',
  'equipment_unavailable',
  'erp_sync_failed',
  'tariff_update_failed',
]);
export type AlertRule = z.infer<typeof AlertRuleSchema>;

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

/** Thresholds of the run's alert rules (request settings.alerts). */
export const AlertThresholdsSchema = z
  .object({
    /** Savings under this share of the baseline raise savings_below_threshold. */
    savingsBelowPercent: z.number().min(0).max(100).default(5),
    /** A peak within this share of the contractual limit (or over it) raises peak_near_limit. */
    peakWithinPercent: z.number().min(0).max(100).default(10),
    /** A job ending less than this before its deadline (or after it, or not placed) raises deadline_at_risk. */
    deadlineMarginMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(30),
  })
  .strict();
export type AlertThresholds = z.output<typeof AlertThresholdsSchema>;

export const atLeast = (severity: Severity, floor: Severity) => SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(floor);

/** What raiseAlert takes: one alert about one subject; raising the same (tenant, rule, subject) twice is one alert. */
export const AlertSchema = z
  .object({
    tenantId: z.string().trim().min(1).max(64),
    rule: AlertRuleSchema,
    severity: SeveritySchema,
    /** What the alert is about, unique per rule: a run id, `<runId>:<jobId>`, a tariff id, an ERP system and date… */
    subject: z.string().trim().min(1).max(200),
    runId: z.uuid().optional(),
    title: z.string().trim().min(1).max(200),
    text: z.string().trim().min(1).max(4000),
    /** The figures the alert was raised on, shown in the message as they are. */
    facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  })
  .strict();
export type AlertInput = z.input<typeof AlertSchema>;
export type Alert = z.output<typeof AlertSchema>;

export const ChannelSchema = z.enum(['email', 'slack', 'webhook']);
export type Channel = z.infer<typeof ChannelSchema>;

/** A user's notification preferences: where, how severe at least, when not (critical alerts excepted), who next. */
export const SubscriberSchema = z
  .object({
    userId: z.string().trim().min(1).max(200),
    email: z.email().optional(),
    /** Slack channel or user id to post to (the bot token is SLACK_BOT_TOKEN). */
    slackChannel: z.string().trim().min(1).max(100).optional(),
    webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
    channels: z.array(ChannelSchema).min(1).default(['email']),
    minSeverity: SeveritySchema.default('warning'),
    /** IANA time zone of the quiet hours. */
    timeZone: z.string().default('UTC'),
    /** No message between from and to (site of the user's time zone; wraps midnight when to < from); critical alerts go through. */
    quietHours: z.object({ from: TimeOfDaySchema, to: TimeOfDaySchema }).strict().optional(),
    /** Who gets the alert when this user has not acknowledged it within ackWithinMinutes. */
    escalateTo: z.string().trim().min(1).max(200).optional(),
    ackWithinMinutes: z
      .number()
      .positive()
      .max(7 * 24 * 60)
      .default(30),
  })
  .strict()
  .superRefine((s, ctx) => {
    const address: Record<Channel, unknown> = { email: s.email, slack: s.slackChannel, webhook: s.webhookUrl };
    for (const channel of s.channels) {
      if (address[channel] === undefined) {
        const field = { email: 'email', slack: 'slackChannel', webhook: 'webhookUrl' }[channel];
        ctx.addIssue({ code: 'custom', path: [field], message: `is needed for the ${channel} channel` });
      }
    }
    if (!isTimeZone(s.timeZone)) ctx.addIssue({ code: 'custom', path: ['timeZone'], message: `is not an IANA time zone: ${s.timeZone}` });
  });
export type SubscriberInput = z.input<typeof SubscriberSchema>;
export type Subscriber = z.output<typeof SubscriberSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** One message to send: an outbox row, unique per (alert, channel, recipient, event). */
export interface PlannedDelivery {
  deliveryId: string;
  channel: Channel;
  recipient: string;
  userId: string;
  /** ISO instant before which it must not go out (the end of the user's quiet hours), or null. */
  notBefore: string | null;
}

/** What the alert workflow needs after recording an alert. */
export interface RecordedAlert {
  alertId: string;
  severity: Severity;
  deliveries: PlannedDelivery[];
  /** Escalation: after `afterMinutes` without an acknowledgement, these users get it too. */
  escalation: { afterMinutes: number; userIds: string[] } | null;
}
