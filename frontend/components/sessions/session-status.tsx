import { Badge } from "@/components/ui/badge";
import type { SessionStatus } from "@/lib/api/types";

const LABELS: Record<SessionStatus, { text: string; variant: "secondary" | "success" | "warning" | "outline" }> = {
  created: { text: "Not started", variant: "outline" },
  in_progress: { text: "In progress", variant: "warning" },
  completed: { text: "Completed", variant: "success" },
  expired: { text: "Time ran out", variant: "secondary" },
};

export function SessionStatusBadge({ status }: { status: SessionStatus }) {
  const label = LABELS[status] ?? { text: status, variant: "outline" as const };
  return <Badge variant={label.variant}>{label.text}</Badge>;
}

export function isFinished(status: SessionStatus): boolean {
  return status === "completed" || status === "expired";
}

export function sessionHref(id: string, status: SessionStatus): string {
  const query = `?id=${encodeURIComponent(id)}`;
  return isFinished(status) ? `/report/${query}` : `/interview/${query}`;
}
