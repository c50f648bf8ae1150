import { ROLES, type Role } from './auth.ts';

const EVERYONE = ROLES;

/**
 * Which roles may call each route (the README's table is checked against this one). Reading is
 * open to every role; operators cancel and set locks; planners submit, set locks and apply schedule
 * versions; only admins change a site's registry (or let a run do it with `register: true`) and
 * read the audit trail.
 */
export const ROUTE_ROLES = {
  'POST /api/runs': ['admin', 'planner'],
  'GET /api/runs': EVERYONE,
  'GET /api/runs/:id': EVERYONE,
  'DELETE /api/runs/:id': ['admin', 'planner', 'operator'],
  'GET /api/runs/:id/report.json': EVERYONE,
  'GET /api/runs/:id/report.txt': EVERYONE,
  'GET /api/runs/:id/provenance': EVERYONE,
  'GET /api/runs/:id/events': EVERYONE,
  'POST /api/runs/:id/retry': ['admin', 'planner'],
  'GET /api/runs/:id/report.pdf': EVERYONE,
  'GET /api/runs/:id/report.xlsx': EVERYONE,
  'GET /api/runs/:id/plan': EVERYONE,
  'POST /api/schedules/optimize': ['admin', 'planner'],
  'GET /api/schedules/optimize/:id': EVERYONE,
  'DELETE /api/schedules/optimize/:id': ['admin', 'planner', 'operator'],
  'GET /api/schedules/optimize/:id/progress': EVERYONE,
  'POST /api/alerts/:id/acknowledge': ['admin', 'planner', 'operator'],
  'GET /api/subscribers': ['admin', 'planner'],
  'PUT /api/subscribers/:userId': ['admin'],
  'GET /api/sites/:siteId/tariffs': EVERYONE,
  'GET /api/sites/:siteId/tariff': EVERYONE,
  'PUT /api/sites/:siteId/tariff': ['admin'],
  'GET /api/sites/:siteId/heaters': EVERYONE,
  'PUT /api/sites/:siteId/heaters': ['admin'],
  'GET /api/audit': ['admin'],
  'GET /api/pulls': EVERYONE,
  'POST /api/pulls/:scheduleId/pause': ['admin', 'operator'],
  'POST /api/pulls/:scheduleId/unpause': ['admin', 'operator'],
  'POST /api/pulls/:scheduleId/trigger': ['admin', 'operator'],
  'POST /api/pulls/:scheduleId/backfill': ['admin', 'operator'],
  'GET /api/sites/:siteId/schedules/:date/versions': EVERYONE,
  'GET /api/sites/:siteId/schedules/:date/versions/:version': EVERYONE,
  'GET /api/sites/:siteId/schedules/:date/diff': EVERYONE,
  'POST /api/sites/:siteId/schedules/:date/versions/:version/apply': ['admin', 'planner'],
  'POST /api/sites/:siteId/schedules/:date/rollback': ['admin', 'planner'],
  'GET /api/sites/:siteId/schedules/:date/locks': EVERYONE,
  'POST /api/sites/:siteId/schedules/:date/locks': ['admin', 'planner', 'operator'],
  'DELETE /api/sites/:siteId/schedules/:date/locks/:lockId': ['admin', 'planner', 'operator'],
} as const satisfies Record<string, readonly Role[]>;

export type RouteName = keyof typeof ROUTE_ROLES;

export const rolesFor = (route: RouteName): Role[] => [...ROUTE_ROLES[route]];

/**
 * Routes outside the login check, each with what stands in for a token (the README's role table
 * marks them "no login"; the OpenAPI description gives them no security requirement).
 */
export const PUBLIC_ROUTES = {
  'GET /api/alerts/:id/ack': 'the signed link of an alert message (shows the alert and an Acknowledge button; acknowledges nothing)',
  'POST /api/alerts/:id/ack': 'the signed link of an alert message (acknowledges as link:<userId>)',
} as const satisfies Record<string, string>;

export type PublicRouteName = keyof typeof PUBLIC_ROUTES;
