"use client";

import { Pause, Play } from "lucide-react";
import { setAnimationsEnabled, useAnimationsEnabled } from "@/lib/hooks/use-motion";
import { cn } from "@/lib/utils";

/** Pauses (or resumes) every looping animation; remembered across visits. */
export function MotionToggle({ className }: { className?: string }) {
  const enabled = useAnimationsEnabled();
  return (
    <button
      type="button"
      onClick={() => setAnimationsEnabled(!enabled)}
      aria-pressed={!enabled}
      className={cn(
        "inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring",
        className,
      )}
      data-testid="motion-toggle"
    >
      {enabled ? <Pause className="size-3" aria-hidden="true" /> : <Play className="size-3" aria-hidden="true" />}
      {enabled ? "Pause animations" : "Play animations"}
    </button>
  );
}
