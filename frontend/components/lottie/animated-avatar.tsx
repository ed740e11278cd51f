"use client";

import avatar from "@/components/lottie/animations/avatar.json";
import { LazyLottiePlayer } from "@/components/lottie/lazy-player";
import { useAnimationsEnabled } from "@/lib/hooks/use-motion";
import { cn } from "@/lib/utils";

/** The resting face (frame 0 of the animation) as plain SVG: cheap enough for every message. */
export function StaticAvatar({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 120 120" className={className} aria-hidden="true">
      <circle cx="60" cy="60" r="58" fill="#dbe6ff" />
      <rect x="16" y="55" width="88" height="18" rx="6" fill="#1e3a8a" />
      <rect x="22" y="33" width="76" height="62" rx="18" fill="#1d4ed8" />
      <rect x="58" y="18" width="4" height="12" rx="2" fill="#1d4ed8" />
      <circle cx="60" cy="16" r="5" fill="#f59e0b" />
      <circle cx="45" cy="56" r="6" fill="#fff" />
      <circle cx="75" cy="56" r="6" fill="#fff" />
      <circle cx="46" cy="57" r="2.5" fill="#0b1a4a" />
      <circle cx="76" cy="57" r="2.5" fill="#0b1a4a" />
      <rect x="49" y="72" width="22" height="4" rx="2" fill="#fff" />
    </svg>
  );
}

/** The interviewer's face; the mouth moves while it is typing (unless animations are paused). */
export function AnimatedAvatar({ talking, className }: { talking: boolean; className?: string }) {
  const enabled = useAnimationsEnabled();
  return (
    // Decorative: the bubble itself says who is speaking.
    <span className={cn("block size-9 shrink-0", className)} aria-hidden="true">
      {talking && enabled ? (
        <LazyLottiePlayer animation={avatar} playing className="size-full" />
      ) : (
        <StaticAvatar className="size-full" />
      )}
    </span>
  );
}
