/** Exponential backoff with jitter, so a restarted server is not hit by every tab at once. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of the delay that is randomised (0 = none, 0.5 = ±50 %). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000, factor: 2, jitter: 0.2 };

/** Delay before reconnect attempt `attempt` (0-based). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const raw = Math.min(options.maxMs, options.baseMs * options.factor ** Math.max(0, attempt));
  const spread = raw * options.jitter;
  const delay = raw - spread + random() * 2 * spread;
  return Math.round(Math.min(options.maxMs, Math.max(0, delay)));
}
