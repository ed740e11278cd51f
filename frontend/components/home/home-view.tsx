"use client";

import { NewInterview } from "@/components/home/new-interview";
import { RecentSessions } from "@/components/home/recent-sessions";
import { api } from "@/lib/api/endpoints";
import { useQuery } from "@/lib/hooks/use-query";

export function HomeView() {
  const sessions = useQuery("sessions", api.sessions);
  return (
    <div className="mx-auto flex w-full max-w-4xl flex-col gap-10">
      <NewInterview sessions={sessions.data} />
      <RecentSessions sessions={sessions.data} error={sessions.error} onRetry={sessions.reload} />
    </div>
  );
}
