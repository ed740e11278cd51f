"use client";

import { ArrowDown } from "lucide-react";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { DraftBubble, MessageBubble, ThinkingBubble } from "@/components/interview/chat/message-bubble";
import { EmptyState } from "@/components/lottie/empty-state";
import { Button } from "@/components/ui/button";
import type { ChatItem, Draft } from "@/lib/chat/reducer";

interface MessageListProps {
  items: ChatItem[];
  drafts: Draft[];
  awaitingReply: boolean;
}

const STICK_DISTANCE = 96;

/** Follows the conversation while you are at the bottom; leaves you alone while you scroll back. */
export function MessageList({ items, drafts, awaitingReply }: MessageListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const draftLength = drafts.reduce((sum, draft) => sum + draft.text.length, 0);
  const last = items[items.length - 1];
  const lastIsOwnPending = Boolean(last?.pending);

  useLayoutEffect(() => {
    const node = scroller.current;
    if (!node) return;
    if (stick.current || lastIsOwnPending) {
      node.scrollTop = node.scrollHeight;
      stick.current = true;
    }
  }, [items.length, draftLength, awaitingReply, lastIsOwnPending]);

  useEffect(() => {
    const node = scroller.current;
    if (!node) return;
    const onScroll = () => {
      const distance = node.scrollHeight - node.scrollTop - node.clientHeight;
      stick.current = distance < STICK_DISTANCE;
      setShowJump(!stick.current);
    };
    node.addEventListener("scroll", onScroll, { passive: true });
    // Banners appearing above (or the keyboard on phones) shrink the list: stay at the bottom.
    const resize =
      typeof ResizeObserver === "undefined"
        ? null
        : new ResizeObserver(() => {
            if (stick.current) node.scrollTop = node.scrollHeight;
          });
    resize?.observe(node);
    return () => {
      node.removeEventListener("scroll", onScroll);
      resize?.disconnect();
    };
  }, []);

  const jump = () => {
    const node = scroller.current;
    if (!node) return;
    stick.current = true;
    node.scrollTo({ top: node.scrollHeight, behavior: "smooth" });
  };

  const empty = items.length === 0 && drafts.length === 0;
  return (
    <div className="relative min-h-0 flex-1">
      <div ref={scroller} className="h-full overflow-y-auto px-3 py-4 md:px-6" data-testid="message-list">
        {empty && !awaitingReply ? (
          <EmptyState title="Your interviewer is getting ready">The first question will appear here in a moment.</EmptyState>
        ) : null}
        <div role="log" aria-live="polite" aria-relevant="additions" aria-label="Conversation" className="mx-auto flex max-w-3xl flex-col gap-4">
          {items.map((item) => (
            <MessageBubble key={item.key} item={item} />
          ))}
        </div>
        <div className="mx-auto mt-4 flex max-w-3xl flex-col gap-4">
          {drafts.map((draft) => (
            <DraftBubble key={draft.key} text={draft.text} />
          ))}
          {awaitingReply ? <ThinkingBubble /> : null}
        </div>
      </div>
      {showJump ? (
        <Button size="sm" variant="secondary" className="absolute bottom-3 left-1/2 -translate-x-1/2 shadow" onClick={jump}>
          <ArrowDown aria-hidden="true" /> Latest messages
        </Button>
      ) : null}
    </div>
  );
}
