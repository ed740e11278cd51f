"use client";

import { useMemo } from "react";
import { MessageBubble } from "@/components/interview/chat/message-bubble";
import type { StoredMessage } from "@/lib/api/types";
import { addMessage, initialChatState } from "@/lib/chat/reducer";

export function Transcript({ messages }: { messages: StoredMessage[] }) {
  const items = useMemo(() => messages.reduce((state, message) => addMessage(state, message), initialChatState).items, [messages]);
  return (
    <section aria-labelledby="transcript-heading" className="flex flex-col gap-3 rounded-xl border bg-card p-5">
      <h2 id="transcript-heading" className="text-lg font-semibold">
        Transcript
      </h2>
      {items.length === 0 ? <p className="text-sm text-muted-foreground">No messages.</p> : null}
      <div className="flex flex-col gap-4" data-testid="transcript">
        {items.map((item) => (
          <MessageBubble key={item.key} item={item} />
        ))}
      </div>
    </section>
  );
}
