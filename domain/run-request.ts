import { z } from 'zod';
import { EquipmentSchema, type Equipment } from './equipment.ts';
import { ProductionScheduleInputSchema, type ProductionSchedule } from './schedule.ts';
import { SettingsSchema, type Settings } from './settings.ts';
import { TariffSchema, type Tariff } from './tariff.ts';

/** A Slack channel as chat.postMessage takes it: its id (C…, G…) or `#name`. */
const SlackChannelSchema = z.string().regex(/^([CG][A-Z0-9]{2,20}|#[a-z0-9._-]{1,80})$/, 'must be a Slack channel id (C…) or #name');

export const NotifySchema = z
  .object({
    email: z.array(z.email('must be an e-mail address')).default([]),
    /** Channels that get the run summary (with SLACK_BOT_TOKEN set). */
    slack: z.array(SlackChannelSchema).max(20).optional(),
  })
  .strict();

/** A site's heaters, each id once. */
export const EquipmentListSchema = z
  .array(EquipmentSchema)
  .min(1)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((e, i) => {
      if (seen.has(e.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate heater id ${e.id}` });
      seen.add(e.id);
    });
  });

/** What a planner submits: the day's jobs, optionally the tariff and heaters (else from the registry). */
export const RunRequestSchema = z
  .object({
    schedule: ProductionScheduleInputSchema,
    tariff: TariffSchema.optional(),
    equipment: EquipmentListSchema.optional(),
    settings: SettingsSchema.default(SettingsSchema.parse({})),
    notify: NotifySchema.default({ email: [] }),
    /**
     * Also make this request's tariff and heaters the site's registered ones (audited). Without it
     * they are this run's inputs only. The API lets only admins ask for it.
     */
    register: z.boolean().optional(),
  })
  .strict();

export type RunRequestInput = z.input<typeof RunRequestSchema>;
export type RunRequest = z.output<typeof RunRequestSchema>;

/** Intake's output: the validated, normalised request. */
export interface IntakeOutput {
  schedule: ProductionSchedule;
  settings: Settings;
  notify: { email: string[]; slack?: string[] };
  supplied: { tariff?: Tariff; equipment?: Equipment[] };
  /** Present when the request asked for its tariff and heaters to be registered for the site. */
  register?: true;
}
