/**
 * The countdown trusts the server's clock: `remaining_seconds` at fetch time
 * tells us what time the server thought it was, so a client clock that is
 * minutes off still shows the right time left.
 */

/** serverNow − clientNow, in ms, estimated from one fetch of the session. */
export function estimateClockOffset(deadlineIso: string, remainingSeconds: number, clientNowMs: number): number {
  const deadline = Date.parse(deadlineIso);
  if (Number.isNaN(deadline) || !Number.isFinite(remainingSeconds)) return 0;
  const serverNow = deadline - remainingSeconds * 1000;
  return serverNow - clientNowMs;
}

/** Milliseconds left at client time `clientNowMs`, never below zero. */
export function remainingMs(deadlineIso: string | null, offsetMs: number, clientNowMs: number): number {
  if (!deadlineIso) return 0;
  const deadline = Date.parse(deadlineIso);
  if (Number.isNaN(deadline)) return 0;
  return Math.max(0, deadline - (clientNowMs + offsetMs));
}

/** "mm:ss", or "h:mm:ss" from an hour up; partial seconds round up so 0:00 means really over. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (value: number) => String(value).padStart(2, "0");
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
}

/** Words for screen readers: "12 minutes 5 seconds left". */
export function describeRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  if (total === 0) return "Time is up";
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (minutes > 0) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (seconds > 0) parts.push(`${seconds} second${seconds === 1 ? "" : "s"}`);
  return `${parts.join(" ")} left`;
}
