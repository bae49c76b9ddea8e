import type { NewUser } from './store.ts';

/**
 * The demo sign-ins (README): two of most roles, so four-eyes approvals can be tried. Plain data, so the
 * msw mocks serve the same users.
 */
export const DEMO_USERS: NewUser[] = [
  { username: 'reviewer', display_name: 'Reviewer Li', roles: ['compliance_reviewer'], team: null },
  { username: 'reviewer2', display_name: 'Reviewer Zhao', roles: ['compliance_reviewer'], team: null },
  { username: 'ops', display_name: 'Ops Wang', roles: ['ops'], team: null },
  { username: 'ops2', display_name: 'Ops Chen', roles: ['ops'], team: null },
  { username: 'planner', display_name: 'Planner Liu', roles: ['product_planner'], team: null },
  { username: 'planner2', display_name: 'Planner Yang', roles: ['product_planner'], team: null },
  { username: 'analyst', display_name: 'Analyst Huang', roles: ['data_analyst'], team: null },
  { username: 'engineer', display_name: 'Engineer Zhou', roles: ['engineer'], team: 'frontend-build' },
  { username: 'admin', display_name: 'Admin Wu', roles: ['admin'], team: null },
];
