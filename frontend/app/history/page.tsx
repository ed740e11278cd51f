import type { Metadata } from "next";
import { HistoryView } from "@/components/history/history-view";
import { AppShell, PageTitle } from "@/components/shell/app-shell";

export const metadata: Metadata = { title: "History" };

export default function HistoryPage() {
  return (
    <AppShell topBar={<PageTitle>History</PageTitle>}>
      <HistoryView />
    </AppShell>
  );
}
