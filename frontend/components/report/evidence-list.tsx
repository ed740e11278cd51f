import { Code2, FlaskConical, MessageSquareQuote, PenTool } from "lucide-react";
import type { Evidence, EvidenceKind } from "@/lib/api/types";

const KIND: Record<EvidenceKind, { label: string; icon: typeof Code2 }> = {
  transcript: { label: "From the conversation", icon: MessageSquareQuote },
  code: { label: "From your code", icon: Code2 },
  test: { label: "From a test run", icon: FlaskConical },
  diagram: { label: "From your diagram", icon: PenTool },
};

/** Quotes that back a judgement; plain text only. */
export function EvidenceList({ evidence }: { evidence: Evidence[] }) {
  if (!evidence || evidence.length === 0) return null;
  return (
    <ul className="mt-2 flex flex-col gap-1.5" aria-label="Evidence">
      {evidence.map((item, index) => {
        const kind = KIND[item.kind] ?? KIND.transcript;
        const Icon = kind.icon;
        return (
          <li key={`${item.kind}-${index}`} className="flex gap-2 rounded-md bg-muted px-3 py-2 text-sm">
            <Icon className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-label={kind.label} />
            <div className="min-w-0">
              <p className="whitespace-pre-wrap break-words">{item.text}</p>
              {item.ref ? <p className="text-xs text-muted-foreground">{item.ref}</p> : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
