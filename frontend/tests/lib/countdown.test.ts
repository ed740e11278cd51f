import { describe, expect, it } from "vitest";
import { describeRemaining, estimateClockOffset, formatRemaining, remainingMs } from "@/lib/countdown";

const deadline = "2025-01-01T12:45:00.000Z";
const deadlineMs = Date.parse(deadline);

describe("countdown", () => {
  it("uses the server's clock: a client clock 2 minutes fast still shows the right time left", () => {
    const serverNow = deadlineMs - 30 * 60_000; // server says 30 minutes left
    const clientNow = serverNow + 2 * 60_000; // this machine is 2 minutes ahead
    const offset = estimateClockOffset(deadline, 30 * 60, clientNow);
    expect(offset).toBe(-2 * 60_000);
    expect(remainingMs(deadline, offset, clientNow)).toBe(30 * 60_000);
    expect(remainingMs(deadline, offset, clientNow + 10_000)).toBe(30 * 60_000 - 10_000);
    // Without the correction it would be 2 minutes short.
    expect(remainingMs(deadline, 0, clientNow)).toBe(28 * 60_000);
  });

  it("handles a slow client clock too", () => {
    const clientNow = deadlineMs - 10 * 60_000 - 90_000; // 90 s behind, server says 10 min left
    const offset = estimateClockOffset(deadline, 600, clientNow);
    expect(remainingMs(deadline, offset, clientNow)).toBe(600_000);
  });

  it("clamps at zero once the deadline passes", () => {
    expect(remainingMs(deadline, 0, deadlineMs + 5_000)).toBe(0);
    expect(formatRemaining(remainingMs(deadline, 0, deadlineMs + 5_000))).toBe("00:00");
    expect(formatRemaining(-3000)).toBe("00:00");
    expect(describeRemaining(0)).toBe("Time is up");
  });

  it("is zero without a deadline or with a bad one", () => {
    expect(remainingMs(null, 0, 0)).toBe(0);
    expect(remainingMs("not a date", 0, 0)).toBe(0);
    expect(estimateClockOffset("not a date", 10, 0)).toBe(0);
  });

  it("formats mm:ss and h:mm:ss, rounding partial seconds up", () => {
    expect(formatRemaining(45 * 60_000)).toBe("45:00");
    expect(formatRemaining(59_001)).toBe("01:00");
    expect(formatRemaining(500)).toBe("00:01");
    expect(formatRemaining(2 * 3600_000 + 5_000)).toBe("2:00:05");
    expect(describeRemaining(61_000)).toBe("1 minute 1 second left");
  });
});
