import type { Metadata } from "next";
import { Suspense } from "react";
import { AuthForm } from "@/components/auth/auth-form";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <main id="main" className="flex min-h-dvh items-center justify-center bg-muted px-4 py-10">
      <Suspense>
        <AuthForm />
      </Suspense>
    </main>
  );
}
