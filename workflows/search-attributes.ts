import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes of a run's workflow, so that operators can filter runs in Temporal UI
 * (e.g. `HeatSchedulerTenant = "acme" AND HeatSchedulerOutcome = "FAILED"`). They must be
 * registered on the namespace: the dev server gets them at start, a cluster through
 * `ensureSearchAttributes` (infra/search-attributes.ts) when a pipeline worker starts.
 */
export const RUN_SEARCH_ATTRIBUTES = {
  tenant: defineSearchAttributeKey('HeatSchedulerTenant', SearchAttributeType.KEYWORD),
  site: defineSearchAttributeKey('HeatSchedulerSite', SearchAttributeType.KEYWORD),
  scheduleDate: defineSearchAttributeKey('HeatSchedulerScheduleDate', SearchAttributeType.DATETIME),
  objective: defineSearchAttributeKey('HeatSchedulerObjective', SearchAttributeType.KEYWORD),
  outcome: defineSearchAttributeKey('HeatSchedulerOutcome', SearchAttributeType.KEYWORD),
} as const;
