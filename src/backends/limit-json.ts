/** Capacity limits as the REST interfaces show them (raml/tps.raml `DsoCapacityLimit`, `LimitShare`). */
import type { CapacityLimit } from '../tps/profile/capacity-limits.js';

/** What both views show of a limit. */
const header = (l: CapacityLimit) => ({
  limitId: l.mRID,
  revision: l.revision,
  kind: l.kind,
  direction: l.direction,
  start: l.start,
  end: l.end,
  ...(l.action ? { action: l.action } : {}),
  cause: l.cause,
  ...(l.policy ? { policy: l.policy } : {}),
  ...(l.cancelled ? { cancelled: true } : {}),
  ...(l.text ? { text: l.text } : {}),
});

/** A DSO's own limit: the affected assets and the capacity they share. */
export function dsoLimitJson(l: CapacityLimit) {
  const g = l.groups[0];
  return {
    ...header(l),
    assets: l.groups.flatMap((x) => x.assets.map((a) => a.assetId)),
    ...(g?.availableKw ? { availableKw: g.availableKw.map(Number) } : {}),
  };
}

/** An AGR/BRP's share of a limit: its own assets only, each with the capacity it may use. */
export function shareJson(l: CapacityLimit) {
  return {
    ...header(l),
    resolution: 'PT15M',
    assets: l.groups.flatMap((g) =>
      g.assets.map((a) => ({ assetId: a.assetId, ...(g.availableKw ? { availableKw: g.availableKw.map(Number) } : {}) })),
    ),
  };
}
