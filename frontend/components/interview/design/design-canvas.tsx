"use client";

import dynamic from "next/dynamic";
import { Spinner } from "@/components/ui/spinner";

/** Excalidraw (and its fonts) load only when a drawing is actually shown. */
export const DesignCanvas = dynamic(() => import("@/components/interview/design/excalidraw-canvas"), {
  ssr: false,
  loading: () => (
    <div className="flex h-full items-center justify-center text-muted-foreground">
      <Spinner label="Loading the whiteboard…" />
    </div>
  ),
});
