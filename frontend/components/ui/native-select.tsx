import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

/** A styled native <select>: keyboard, screen reader and phone pickers work as the platform does. */
export function NativeSelect({ className, ...props }: ComponentProps<"select">) {
  return (
    <select
      className={cn(
        "h-10 rounded-md border border-input bg-background px-3 text-sm focus-visible:outline-2 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-50",
        className,
      )}
      {...props}
    />
  );
}
