/** Capacity limits as the REST interfaces show them (raml/tps.raml `CapacityLimit`, `LimitShare`). */
import type { CapacityLimit } from '../tps/profile/capacity-limits.js';

/** A DSO's own limit: the affected assets and the capacity they share. */
export function dsoLimitJson(l: CapacityLimit) {
  const g = l.groups[0];
  return {
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
    assets: l.groups.flatMap((x) => x.assets.map((a) => a.assetId)),
    ...(g?.availableKw ? { availableKw: g.availableKw.map(Number) } : {}),
  };
}

/** An AGR/BRP's share of a limit: its own assets only, each with the capacity it may use. */
export function shareJson(l: CapacityLimit) {
  return {
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
    resolution: 'PT15M',
    assets: l.groups.flatMap((g) =>
      g.assets.map((a) => ({ assetId: a.assetId, ...(g.availableKw ? { availableKw: g.availableKw.map(Number) } : {}) })),
    ),
  };
}
