"use client";

import { DesignCanvas } from "@/components/interview/design/design-canvas";
import type { DrawingScene } from "@/lib/api/types";

export function Diagram({ scene }: { scene: DrawingScene | null }) {
  return (
    <section aria-labelledby="diagram-heading" className="flex flex-col gap-3 rounded-xl border bg-card p-5">
      <h2 id="diagram-heading" className="text-lg font-semibold">
        Your diagram
      </h2>
      {scene && scene.elements.length > 0 ? (
        <div className="h-[28rem] overflow-hidden rounded-lg border" data-testid="report-diagram">
          <DesignCanvas initialScene={scene} readOnly />
        </div>
      ) : (
        <p className="text-sm text-muted-foreground">No diagram was drawn.</p>
      )}
    </section>
  );
}
