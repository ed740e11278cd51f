import type { ComponentProps } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import { cn } from "@/lib/utils";

/**
 * Markdown for untrusted text (the AI's and the user's). No raw HTML is ever
 * rendered (react-markdown escapes it: there is no rehype-raw), unsafe link
 * protocols are dropped by its default urlTransform, and images are shown as
 * their alt text so no message can make the browser fetch anything.
 */
const components: Components = {
  a: ({ children, href }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
  img: ({ alt }) => <span className="italic text-muted-foreground">[image{alt ? `: ${alt}` : ""}]</span>,
};

export function Markdown({ text, className }: { text: string; className?: string } & Omit<ComponentProps<"div">, "children">) {
  return (
    <div className={cn("chat-markdown break-words", className)}>
      <ReactMarkdown components={components}>{text}</ReactMarkdown>
    </div>
  );
}
