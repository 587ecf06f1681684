/** Names the DSO backend's parts share: its request kinds and the wake-up keys of its long polls. */
export const DSO_KINDS = { connectionPoints: 'connection-points' } as const;
export const LIMIT_KINDS = { create: 'limits.create', update: 'limits.update', cancel: 'limits.cancel' } as const;
export const assetFeedSignal = (party: string): string => `assets:${party}`;
export const scheduleFeedSignal = (party: string): string => `schedules:${party}`;
