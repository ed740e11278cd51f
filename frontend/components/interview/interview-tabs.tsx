"use client";

import { Code2, MessagesSquare, PenTool } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { InterviewType } from "@/lib/api/types";

export type TabKey = "chat" | "code" | "design";

interface InterviewTabsProps {
  type: InterviewType;
  chat: ReactNode;
  code?: ReactNode;
  design?: ReactNode;
}

/**
 * Chat always; Code for coding rounds, Design for system design. A tab's
 * content mounts the first time it is opened and then stays mounted (hidden),
 * so the editor and the whiteboard keep their state when you switch away.
 */
export function InterviewTabs({ type, chat, code, design }: InterviewTabsProps) {
  const [tab, setTab] = useState<TabKey>("chat");
  const [visited, setVisited] = useState<Set<TabKey>>(() => new Set<TabKey>(["chat"]));

  const open = (next: string) => {
    const key = next as TabKey;
    setTab(key);
    setVisited((previous) => (previous.has(key) ? previous : new Set(previous).add(key)));
  };

  const tabs: { key: TabKey; label: string; icon: ReactNode; content: ReactNode }[] = [
    { key: "chat", label: "Chat", icon: <MessagesSquare aria-hidden="true" />, content: chat },
  ];
  if (type === "coding" && code) tabs.push({ key: "code", label: "Code", icon: <Code2 aria-hidden="true" />, content: code });
  if (type === "system_design" && design) tabs.push({ key: "design", label: "Design", icon: <PenTool aria-hidden="true" />, content: design });

  return (
    <Tabs value={tab} onValueChange={open} className="flex min-h-0 flex-1 flex-col">
      {tabs.length > 1 ? (
        <div className="shrink-0 border-b px-3 py-2 md:px-6">
          <TabsList aria-label="Interview views">
            {tabs.map(({ key, label, icon }) => (
              <TabsTrigger key={key} value={key} data-testid={`tab-${key}`}>
                {icon}
                {label}
              </TabsTrigger>
            ))}
          </TabsList>
        </div>
      ) : null}
      {tabs.map(({ key, content }) => (
        <TabsContent key={key} value={key} forceMount className="min-h-0 flex-1 data-[state=inactive]:hidden" data-testid={`panel-${key}`}>
          {visited.has(key) ? content : null}
        </TabsContent>
      ))}
    </Tabs>
  );
}
