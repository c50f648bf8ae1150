import { z } from 'zod';

/** The time-of-use categories periods are labelled with (energy reporting, time-of-use demand charges). */
export const PeriodCategorySchema = z.enum(['off-peak', 'mid-peak', 'on-peak', 'critical']);
export type PeriodCategory = z.infer<typeof PeriodCategorySchema>;
export const PERIOD_CATEGORIES = PeriodCategorySchema.options;

/** Holidays use holiday periods, else weekend ones, else weekday ones. */
export const DayTypeSchema = z.enum(['weekday', 'weekend', 'holiday']);
export type DayType = z.infer<typeof DayTypeSchema>;
