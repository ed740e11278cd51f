"use client";

import { Button } from "@/components/ui/button";

/** The interviewer understands these words typed alone; the buttons just type them for you. */
export const COMMANDS = [
  { text: "hint", label: "Hint", help: "Ask for a hint" },
  { text: "repeat", label: "Repeat", help: "Ask the interviewer to repeat the question" },
  { text: "rephrase", label: "Rephrase", help: "Ask for the question in other words" },
  { text: "skip", label: "Skip", help: "Skip to the next question" },
  { text: "done", label: "Done", help: "Say you have finished this question" },
] as const;

export function QuickCommands({ onCommand, disabled }: { onCommand: (text: string) => void; disabled: boolean }) {
  return (
    <div className="flex flex-wrap gap-1.5" role="group" aria-label="Quick commands">
      {COMMANDS.map((command) => (
        <Button
          key={command.text}
          variant="outline"
          size="sm"
          disabled={disabled}
          onClick={() => onCommand(command.text)}
          title={command.help}
          aria-label={command.help}
          data-testid={`command-${command.text}`}
          className="rounded-full"
        >
          {command.label}
        </Button>
      ))}
    </div>
  );
}
