"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { ApiError, describeError } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";
import { safeNextPath, saveToken } from "@/lib/auth";
import { notifyAuthChanged, useToken } from "@/lib/hooks/use-token";

type Mode = "signin" | "register";

const MIN_PASSWORD = 8;

function registerError(error: unknown): string {
  if (error instanceof ApiError && error.status === 409) return "An account with this email already exists. Sign in instead.";
  return describeError(error);
}

export function AuthForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [mode, setMode] = useState<Mode>("signin");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const token = useToken();

  // Already signed in (another tab, or a stale bookmark): go where we were headed.
  useEffect(() => {
    if (token) router.replace(safeNextPath(params.get("next")));
  }, [token, router, params]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (mode === "register" && password.length < MIN_PASSWORD) {
      setError(`Use at least ${MIN_PASSWORD} characters for your password.`);
      return;
    }
    setBusy(true);
    try {
      if (mode === "register") {
        try {
          await api.register(email, password);
        } catch (cause) {
          setError(registerError(cause));
          return;
        }
      }
      const issued = await api.token(email, password);
      saveToken(issued.access_token, issued.expires_in, email);
      notifyAuthChanged();
    } catch (cause) {
      setError(cause instanceof ApiError && cause.status === 401 ? "Wrong email or password." : describeError(cause));
    } finally {
      setBusy(false);
    }
  };

  const switchMode = () => {
    setMode(mode === "signin" ? "register" : "signin");
    setError(null);
  };

  const title = mode === "signin" ? "Sign in" : "Create an account";
  return (
    <Card className="w-full max-w-sm">
      <CardHeader>
        <CardTitle>
          <span className="sr-only">Rehearse: </span>
          {title}
        </CardTitle>
        <CardDescription>Practice interviews with an AI interviewer that runs on your own server.</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} className="flex flex-col gap-4" noValidate={false}>
          <div className="flex flex-col gap-2">
            <Label htmlFor="email">Email</Label>
            <Input
              id="email"
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              data-testid="email-input"
            />
          </div>
          <div className="flex flex-col gap-2">
            <Label htmlFor="password">Password</Label>
            <Input
              id="password"
              type="password"
              autoComplete={mode === "signin" ? "current-password" : "new-password"}
              required
              minLength={mode === "register" ? MIN_PASSWORD : undefined}
              aria-describedby={mode === "register" ? "password-hint" : undefined}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              data-testid="password-input"
            />
            {mode === "register" ? (
              <p id="password-hint" className="text-xs text-muted-foreground">
                At least {MIN_PASSWORD} characters.
              </p>
            ) : null}
          </div>
          {error ? (
            <Alert variant="destructive" role="alert">
              {error}
            </Alert>
          ) : null}
          <Button type="submit" disabled={busy} data-testid="auth-submit">
            {busy ? <Spinner /> : null}
            {mode === "signin" ? "Sign in" : "Create account"}
          </Button>
        </form>
        <p className="mt-4 text-center text-sm text-muted-foreground">
          {mode === "signin" ? "New here? " : "Already have an account? "}
          <button type="button" className="font-medium text-primary underline-offset-4 hover:underline" onClick={switchMode}>
            {mode === "signin" ? "Create an account" : "Sign in"}
          </button>
        </p>
      </CardContent>
    </Card>
  );
}
