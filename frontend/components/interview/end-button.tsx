"use client";

import { Square } from "lucide-react";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

export function EndButton({ onEnd, ending, disabled }: { onEnd: () => void; ending: boolean; disabled: boolean }) {
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="outline" size="sm" disabled={disabled || ending} data-testid="end-button" className="border-red-300 text-red-800 hover:bg-red-50 hover:text-red-900">
          {ending ? <Spinner /> : <Square aria-hidden="true" />}
          End<span className="sr-only sm:not-sr-only"> interview</span>
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent data-testid="end-dialog">
        <AlertDialogTitle>End the interview now?</AlertDialogTitle>
        <AlertDialogDescription>
          You will not be able to send messages or run code afterwards. Your feedback report will be prepared right away.
        </AlertDialogDescription>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep going</AlertDialogCancel>
          <AlertDialogAction onClick={onEnd} data-testid="confirm-end">
            End interview
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
