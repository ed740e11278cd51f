"use client";

import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { PageLoading } from "@/components/ui/spinner";
import { signInPath } from "@/lib/auth";
import { useToken } from "@/lib/hooks/use-token";

/** Renders its children only for a signed-in user; everyone else goes to sign-in and comes back. */
export function AuthGate({ children }: { children: ReactNode }) {
  const token = useToken();
  const router = useRouter();

  useEffect(() => {
    if (token === null) router.replace(signInPath());
  }, [token, router]);

  if (!token) return <PageLoading label={token === null ? "Redirecting to sign in…" : "Loading…"} />;
  return <>{children}</>;
}
