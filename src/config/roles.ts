/**
 * The roles one `tps-hub` process can run (architecture: one program, many roles).
 * `tps-hub serve` runs them all on the embedded default; `--roles directory,broker` splits them
 * across hosts that share PostgreSQL and Redis. Roles other than `api` arrive with their issues.
 */
export const HUB_ROLES = ['api', 'directory', 'broker', 'endpoint', 'tps', 'uftp', 'doe', 'worker'] as const;
export type HubRole = (typeof HUB_ROLES)[number];
