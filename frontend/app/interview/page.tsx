import type { Metadata } from "next";
import { Suspense } from "react";
import { InterviewView } from "@/components/interview/interview-view";
import { PageLoading } from "@/components/ui/spinner";

export const metadata: Metadata = { title: "Interview" };

export default function InterviewPage() {
  return (
    <Suspense fallback={<PageLoading />}>
      <InterviewView />
    </Suspense>
  );
}
