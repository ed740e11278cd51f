import { AnimatedAvatar } from "@/components/lottie/animated-avatar";
import { Markdown } from "@/components/markdown/markdown";
import type { ChatItem } from "@/lib/chat/reducer";
import { cn } from "@/lib/utils";

function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

/** One chat line: the interviewer on the left with its avatar, the candidate on the right. */
export function MessageBubble({ item }: { item: ChatItem }) {
  if (item.nudge) {
    return (
      <div className="flex justify-center" data-testid="nudge">
        <p className="max-w-[85%] rounded-full bg-amber-50 px-3 py-1 text-center text-sm text-amber-950">{item.text}</p>
      </div>
    );
  }
  const mine = item.sender === "user";
  return (
    <div className={cn("flex items-end gap-2", mine ? "justify-end" : "justify-start")} data-testid={mine ? "user-message" : "ai-message"}>
      {!mine ? <AnimatedAvatar talking={false} /> : null}
      <div
        className={cn(
          "max-w-[85%] rounded-2xl px-4 py-2.5 text-[0.9375rem] leading-relaxed md:max-w-[75%]",
          mine ? "rounded-br-sm bg-primary text-primary-foreground" : "rounded-bl-sm border bg-card",
          mine && "[&_.chat-markdown_a]:text-primary-foreground [&_.chat-markdown_code]:bg-white/20",
        )}
      >
        <span className="sr-only">{mine ? "You said: " : "Interviewer said: "}</span>
        <Markdown text={item.text} />
        <p className={cn("mt-1 text-right text-xs", mine ? "text-primary-foreground/85" : "text-muted-foreground")}>
          {item.pending ? "Sending…" : timeOf(item.createdAt)}
        </p>
      </div>
    </div>
  );
}

/** The AI message being written, token by token. */
export function DraftBubble({ text }: { text: string }) {
  return (
    <div className="flex items-end gap-2" data-testid="ai-draft">
      <AnimatedAvatar talking />
      <div className="max-w-[85%] rounded-2xl rounded-bl-sm border bg-card px-4 py-2.5 text-[0.9375rem] leading-relaxed md:max-w-[75%]">
        <Markdown text={text} />
        <TypingDots />
      </div>
    </div>
  );
}

export function TypingDots() {
  return (
    <span className="mt-1 inline-flex gap-1" aria-hidden="true">
      <span className="typing-dot size-1.5 rounded-full bg-muted-foreground" />
      <span className="typing-dot size-1.5 rounded-full bg-muted-foreground [animation-delay:0.2s]" />
      <span className="typing-dot size-1.5 rounded-full bg-muted-foreground [animation-delay:0.4s]" />
    </span>
  );
}

/** The interviewer owes a reply but has not started typing yet. */
export function ThinkingBubble() {
  return (
    <div className="flex items-end gap-2" data-testid="typing-indicator">
      <AnimatedAvatar talking />
      <div className="rounded-2xl rounded-bl-sm border bg-card px-4 py-3">
        <span className="sr-only">The interviewer is typing</span>
        <TypingDots />
      </div>
    </div>
  );
}
