/**
 * Redis stream ids ("<ms>-<seq>") grow monotonically within a stream, so an id
 * at or below the last one we applied is a replay we have already seen.
 */

function parse(id: string): [bigint, bigint] | null {
  const match = /^(\d+)-(\d+)$/.exec(id);
  if (!match) return null;
  return [BigInt(match[1]), BigInt(match[2])];
}

/** Negative when a < b, 0 when equal, positive when a > b; null when either is not a stream id. */
export function compareStreamIds(a: string, b: string): number | null {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return null;
  if (pa[0] !== pb[0]) return pa[0] < pb[0] ? -1 : 1;
  if (pa[1] !== pb[1]) return pa[1] < pb[1] ? -1 : 1;
  return 0;
}

/** True when `id` was already applied, given the last applied id. */
export function isReplay(id: string | null | undefined, lastId: string | null): boolean {
  if (!id || !lastId) return false;
  if (id === lastId) return true;
  const order = compareStreamIds(id, lastId);
  return order !== null && order <= 0;
}

/** The later of two ids (a non-stream id never replaces a stream id). */
export function laterStreamId(current: string | null, next: string | null | undefined): string | null {
  if (!next) return current;
  if (!current) return next;
  const order = compareStreamIds(next, current);
  return order !== null && order > 0 ? next : current;
}

/** Milliseconds encoded in a stream id, for ordering items that carry no timestamp. */
export function streamIdTime(id: string | null | undefined): number | null {
  const parsed = id ? parse(id) : null;
  return parsed ? Number(parsed[0]) : null;
}
