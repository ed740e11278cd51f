"use client";

import { useEffect, useState } from "react";
import { remainingMs } from "@/lib/countdown";

/** Milliseconds left, re-rendering about every quarter second while above zero. */
export function useCountdown(deadline: string | null, offsetMs: number): number {
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!deadline) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [deadline]);

  return remainingMs(deadline, offsetMs, now);
}
