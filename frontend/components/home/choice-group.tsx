"use client";

import { RadioGroup } from "radix-ui";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

interface Choice<T extends string> {
  value: T;
  label: ReactNode;
  description?: ReactNode;
  icon?: ReactNode;
}

interface ChoiceGroupProps<T extends string> {
  label: string;
  value: T;
  onChange: (value: T) => void;
  choices: Choice<T>[];
  variant?: "cards" | "pills";
  className?: string;
  testId?: string;
}

/** A radio group drawn as cards or pills: arrow keys move, one tab stop. */
export function ChoiceGroup<T extends string>({ label, value, onChange, choices, variant = "pills", className, testId }: ChoiceGroupProps<T>) {
  return (
    <RadioGroup.Root
      aria-label={label}
      value={value}
      onValueChange={(next) => onChange(next as T)}
      className={cn(variant === "cards" ? "grid gap-3 sm:grid-cols-3" : "flex flex-wrap gap-2", className)}
      data-testid={testId}
    >
      {choices.map((choice) => (
        <RadioGroup.Item
          key={choice.value}
          value={choice.value}
          data-testid={testId ? `${testId}-${choice.value}` : undefined}
          className={cn(
            "border text-left transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring data-[state=checked]:border-primary data-[state=checked]:ring-2 data-[state=checked]:ring-primary",
            variant === "cards"
              ? "flex flex-col gap-2 rounded-xl bg-card p-4 hover:bg-muted"
              : "rounded-full px-4 py-2 text-sm font-medium hover:bg-muted data-[state=checked]:bg-accent data-[state=checked]:text-accent-foreground",
          )}
        >
          {choice.icon}
          <span className={variant === "cards" ? "font-semibold" : undefined}>{choice.label}</span>
          {choice.description ? <span className="text-sm text-muted-foreground">{choice.description}</span> : null}
        </RadioGroup.Item>
      ))}
    </RadioGroup.Root>
  );
}
