"use client";

import { Menu } from "lucide-react";
import { useState, type ReactNode } from "react";
import { AuthGate } from "@/components/auth/auth-gate";
import { NavLinks } from "@/components/shell/nav-links";
import { Sheet, SheetContent, SheetTrigger } from "@/components/ui/sheet";
import { cn } from "@/lib/utils";

interface AppShellProps {
  children: ReactNode;
  /** The bar at the top of the page (title, countdown…); on phones it sits beside the menu button. */
  topBar?: ReactNode;
  /** Let the page fill the viewport height (the interview), instead of scrolling as a document. */
  fill?: boolean;
}

/** Sidebar on wide screens, a menu button and drawer on phones. Signed-in pages only. */
export function AppShell({ children, topBar, fill = false }: AppShellProps) {
  const [open, setOpen] = useState(false);
  return (
    <AuthGate>
      <div className={cn("flex", fill ? "h-dvh overflow-hidden" : "min-h-dvh")}>
        <aside className="hidden w-60 shrink-0 border-r bg-sidebar md:block" aria-label="Sidebar">
          <div className="sticky top-0 h-dvh">
            <NavLinks />
          </div>
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex min-h-14 shrink-0 items-center gap-2 border-b bg-background px-3 md:px-6">
            <Sheet open={open} onOpenChange={setOpen}>
              <SheetTrigger
                className="grid size-10 place-items-center rounded-md hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring md:hidden"
                aria-label="Open menu"
                data-testid="menu-button"
              >
                <Menu className="size-5" aria-hidden="true" />
              </SheetTrigger>
              <SheetContent title="Menu">
                <NavLinks onNavigate={() => setOpen(false)} />
              </SheetContent>
            </Sheet>
            <div className="flex min-w-0 flex-1 items-center gap-2">{topBar}</div>
          </header>
          <main id="main" className={cn("flex min-h-0 flex-1 flex-col", !fill && "px-4 py-6 md:px-8")}>
            {children}
          </main>
        </div>
      </div>
    </AuthGate>
  );
}

export function PageTitle({ children }: { children: ReactNode }) {
  return <h1 className="truncate text-base font-semibold md:text-lg">{children}</h1>;
}
