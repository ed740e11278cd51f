"use client";

import type { ReactNode } from "react";
import empty from "@/components/lottie/animations/empty.json";
import { LazyLottiePlayer } from "@/components/lottie/lazy-player";
import { MotionToggle } from "@/components/lottie/motion-toggle";
import { useAnimationsEnabled } from "@/lib/hooks/use-motion";
import { cn } from "@/lib/utils";

interface EmptyStateProps {
  title: string;
  children?: ReactNode;
  className?: string;
  testId?: string;
}

/** A friendly animation and a line of text where there is nothing to show yet. */
export function EmptyState({ title, children, className, testId }: EmptyStateProps) {
  const enabled = useAnimationsEnabled();
  return (
    <div className={cn("flex flex-col items-center justify-center gap-2 p-6 text-center", className)} data-testid={testId}>
      <div className="size-28">
        <LazyLottiePlayer animation={empty} playing={enabled} className="size-full" />
      </div>
      <p className="font-medium">{title}</p>
      {children ? <div className="max-w-sm text-sm text-muted-foreground">{children}</div> : null}
      <MotionToggle />
    </div>
  );
}
