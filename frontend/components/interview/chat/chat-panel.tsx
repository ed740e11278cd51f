"use client";

import { Composer } from "@/components/interview/chat/composer";
import { MessageList } from "@/components/interview/chat/message-list";
import { QuickCommands } from "@/components/interview/chat/quick-commands";
import { MotionToggle } from "@/components/lottie/motion-toggle";
import { isAwaitingReply, type ChatState } from "@/lib/chat/reducer";

interface ChatPanelProps {
  state: ChatState;
  onSend: (text: string) => void;
  locked: boolean;
}

export function ChatPanel({ state, onSend, locked }: ChatPanelProps) {
  return (
    <div className="flex h-full min-h-0 flex-col">
      <MessageList items={state.items} drafts={state.drafts} awaitingReply={!locked && isAwaitingReply(state)} />
      <div className="border-t bg-background px-3 py-3 md:px-6">
        <div className="mx-auto flex max-w-3xl flex-col gap-2">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <QuickCommands onCommand={onSend} disabled={locked} />
            <MotionToggle className="hidden sm:inline-flex" />
          </div>
          <Composer
            onSend={onSend}
            disabled={locked}
            placeholder={locked ? "The interview is over." : "Type your answer… (Enter to send, Shift+Enter for a new line)"}
          />
        </div>
      </div>
    </div>
  );
}
