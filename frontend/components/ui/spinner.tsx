import { Loader2 } from "lucide-react";
import { cn } from "@/lib/utils";

export function Spinner({ className, label }: { className?: string; label?: string }) {
  return (
    <span className="inline-flex items-center gap-2" role={label ? "status" : undefined}>
      <Loader2 className={cn("size-4 animate-spin motion-reduce:animate-none", className)} aria-hidden="true" />
      {label ? <span>{label}</span> : null}
    </span>
  );
}

export function PageLoading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="flex min-h-[40vh] items-center justify-center text-muted-foreground">
      <Spinner label={label} />
    </div>
  );
}
