import type { Metadata } from "next";
import { Suspense } from "react";
import { ReportView } from "@/components/report/report-view";
import { PageLoading } from "@/components/ui/spinner";

export const metadata: Metadata = { title: "Feedback report" };

export default function ReportPage() {
  return (
    <Suspense fallback={<PageLoading />}>
      <ReportView />
    </Suspense>
  );
}
