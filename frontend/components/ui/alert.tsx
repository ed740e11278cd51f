import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

const alertVariants = cva("flex w-full items-start gap-3 rounded-lg border px-4 py-3 text-sm [&_svg]:mt-0.5 [&_svg]:size-4 [&_svg]:shrink-0", {
  variants: {
    variant: {
      default: "border-border bg-muted text-foreground",
      info: "border-blue-300 bg-blue-50 text-blue-950",
      warning: "border-amber-300 bg-amber-50 text-amber-950",
      destructive: "border-red-300 bg-red-50 text-red-950",
      success: "border-green-300 bg-green-50 text-green-950",
    },
  },
  defaultVariants: { variant: "default" },
});

export function Alert({ className, variant, role = "status", ...props }: ComponentProps<"div"> & VariantProps<typeof alertVariants>) {
  return <div role={role} className={cn(alertVariants({ variant }), className)} {...props} />;
}
