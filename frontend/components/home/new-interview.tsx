"use client";

import { Code2, MessagesSquare, Network } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ChoiceGroup } from "@/components/home/choice-group";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Spinner } from "@/components/ui/spinner";
import { ApiError, describeError } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";
import { TYPE_LABELS, type InterviewType, type Level, type Session } from "@/lib/api/types";
import { useQuery } from "@/lib/hooks/use-query";

const DOMAINS = [
  {
    value: "coding" as const,
    label: TYPE_LABELS.coding,
    description: "Solve a problem in Python, JavaScript or TypeScript, and run your code.",
    icon: <Code2 className="size-6 text-primary" aria-hidden="true" />,
  },
  {
    value: "system_design" as const,
    label: TYPE_LABELS.system_design,
    description: "Design a system on a whiteboard and talk through the trade-offs.",
    icon: <Network className="size-6 text-primary" aria-hidden="true" />,
  },
  {
    value: "behavioral" as const,
    label: TYPE_LABELS.behavioral,
    description: "Tell stories about your work: conflict, impact, ownership.",
    icon: <MessagesSquare className="size-6 text-primary" aria-hidden="true" />,
  },
];

const DURATIONS = ["15", "30", "45", "60", "90"] as const;
type Duration = (typeof DURATIONS)[number];

interface StartError {
  message: string;
  activeSession?: Session;
}

export function NewInterview({ sessions }: { sessions: Session[] | undefined }) {
  const router = useRouter();
  const [type, setType] = useState<InterviewType>("coding");
  const [duration, setDuration] = useState<Duration>("45");
  const [level, setLevel] = useState<Level | "">("");
  const [questionId, setQuestionId] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<StartError | null>(null);
  const questions = useQuery(`questions:${type}`, () => api.questions(type));

  const chooseType = (next: InterviewType) => {
    setType(next);
    setQuestionId("");
    setError(null);
  };

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const session = await api.createSession({
        type,
        duration_minutes: Number(duration),
        ...(level ? { level } : {}),
        ...(questionId ? { question_id: questionId } : {}),
      });
      await api.startSession(session.id);
      router.push(`/interview/?id=${encodeURIComponent(session.id)}`);
    } catch (cause) {
      const activeSession =
        cause instanceof ApiError && cause.status === 409
          ? sessions?.find((s) => s.type === type && (s.status === "in_progress" || s.status === "created"))
          : undefined;
      setError({ message: describeError(cause), activeSession });
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="new-heading" className="flex flex-col gap-5">
      <div>
        <h2 id="new-heading" className="text-lg font-semibold">
          New interview
        </h2>
        <p className="text-sm text-muted-foreground">Choose a domain and a time limit. The interviewer starts as soon as you do.</p>
      </div>
      <ChoiceGroup label="Interview domain" value={type} onChange={chooseType} choices={DOMAINS} variant="cards" testId="domain" />
      <div className="flex flex-col gap-2">
        <span className="text-sm font-medium" id="duration-label">
          Time limit
        </span>
        <ChoiceGroup
          label="Time limit"
          value={duration}
          onChange={setDuration}
          choices={DURATIONS.map((value) => ({ value, label: `${value} min` }))}
          testId="duration"
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="flex flex-col gap-2">
          <Label htmlFor="level">Level</Label>
          <NativeSelect id="level" value={level} onChange={(event) => setLevel(event.target.value as Level | "")}>
            <option value="">Any level</option>
            <option value="mid">Mid</option>
            <option value="senior">Senior</option>
            <option value="staff">Staff</option>
          </NativeSelect>
        </div>
        {questions.data && questions.data.length > 0 ? (
          <div className="flex flex-col gap-2">
            <Label htmlFor="question">Question</Label>
            <NativeSelect id="question" value={questionId} onChange={(event) => setQuestionId(event.target.value)} data-testid="question-picker">
              <option value="">Surprise me</option>
              {questions.data.map((question) => (
                <option key={question.id} value={question.id}>
                  {question.title} ({question.level})
                </option>
              ))}
            </NativeSelect>
          </div>
        ) : null}
      </div>
      {error ? (
        <Alert variant="destructive" role="alert">
          <span className="flex-1">
            {error.message}
            {error.activeSession ? (
              <>
                {" "}
                <Link className="font-medium underline" href={`/interview/?id=${encodeURIComponent(error.activeSession.id)}`}>
                  Go to your open {TYPE_LABELS[type].toLowerCase()} interview
                </Link>
              </>
            ) : null}
          </span>
        </Alert>
      ) : null}
      <div>
        <Button size="lg" onClick={start} disabled={busy} data-testid="start-interview">
          {busy ? <Spinner /> : null}
          {busy ? "Starting…" : "Start interview"}
        </Button>
      </div>
    </section>
  );
}
