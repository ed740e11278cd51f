"use client";

import { SendHorizontal } from "lucide-react";
import { useRef, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";

/** The server refuses longer messages (REHEARSE_MESSAGE_MAX_CHARS, 4000 by default). */
const MAX_LENGTH = 4000;

/** Enter sends, Shift+Enter makes a new line (and IME composition is left alone). */
export function Composer({ onSend, disabled, placeholder }: { onSend: (text: string) => void; disabled: boolean; placeholder: string }) {
  const [text, setText] = useState("");
  const area = useRef<HTMLTextAreaElement>(null);

  const submit = () => {
    const trimmed = text.trim();
    if (!trimmed || disabled) return;
    onSend(trimmed);
    setText("");
    area.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form
      className="flex items-end gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor="chat-input" className="sr-only">
        Your answer
      </label>
      <Textarea
        id="chat-input"
        ref={area}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        placeholder={placeholder}
        disabled={disabled}
        maxLength={MAX_LENGTH}
        rows={1}
        aria-describedby="chat-input-hint"
        className="max-h-48 min-h-11 resize-none [field-sizing:content]"
        data-testid="chat-input"
      />
      <span id="chat-input-hint" className="sr-only">
        Press Enter to send, Shift+Enter for a new line.
      </span>
      <Button type="submit" size="icon" disabled={disabled || !text.trim()} aria-label="Send message" data-testid="send-button" className="size-11">
        <SendHorizontal aria-hidden="true" />
      </Button>
    </form>
  );
}
