/** The AGR/BRP backend's request kinds: what an accepted acknowledgement applies (src/backends/agr/inbox.ts). */
export const AGR_KINDS = { create: 'assets.create', modify: 'assets.modify', deactivate: 'assets.deactivate' } as const;
export const limitFeedSignal = (party: string): string => `limits:${party}`;
export const SCHEDULE_KINDS = { create: 'schedules.create', update: 'schedules.update', cancel: 'schedules.cancel' } as const;
