import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { OutputPane } from "@/components/interview/code/output-pane";
import type { CodeRun } from "@/lib/api/types";
import { describeRun } from "@/lib/run-verdict";

const run = (overrides: Partial<CodeRun>): CodeRun => ({
  id: 1,
  language: "python",
  status: "ok",
  stdout: "",
  stderr: "",
  exit_code: 0,
  duration_ms: 42,
  truncated: false,
  ...overrides,
});

describe("run verdict wording", () => {
  it.each([
    [run({}), "Your program ran successfully in 42 ms."],
    [run({ status: "error", exit_code: 1 }), "Your program stopped with an error (exit code 1)."],
    [run({ status: "timeout", exit_code: null, duration_ms: 5003 }), "Your program ran out of time (5 s)."],
    [run({ status: "timeout", exit_code: null, duration_ms: null }), "Your program ran out of time (5 s)."],
    [run({ status: "memory_limit", exit_code: 137 }), "Your program ran out of memory."],
    [run({ status: "output_limit", truncated: true }), "Your program printed too much, so the output was cut."],
  ])("%#: %s", (input, headline) => {
    expect(describeRun(input).headline).toBe(headline);
  });

  it("notes truncated output separately", () => {
    expect(describeRun(run({ truncated: true })).notes).toEqual(["The output was cut because it was too long."]);
    expect(describeRun(run({ status: "output_limit", truncated: true })).notes).toEqual([]);
  });
});

describe("OutputPane", () => {
  it("shows a friendly empty state before the first run", () => {
    render(<OutputPane run={null} running={false} />);
    expect(screen.getByTestId("output-empty")).toHaveTextContent("Awaiting your code");
  });

  it("shows a running state, also for a run the server still reports as pending", () => {
    const { rerender } = render(<OutputPane run={null} running />);
    expect(screen.getByTestId("run-running")).toHaveTextContent("Running your code");
    rerender(<OutputPane run={run({ status: "pending" })} running={false} />);
    expect(screen.getByTestId("run-running")).toBeInTheDocument();
  });

  it("shows stdout, stderr and the verdict in plain words", () => {
    render(<OutputPane run={run({ status: "timeout", stdout: "partial\n", stderr: "Killed", exit_code: null, duration_ms: 5000 })} running={false} />);
    expect(screen.getByTestId("run-verdict")).toHaveTextContent("Your program ran out of time (5 s).");
    expect(screen.getByTestId("run-stdout")).toHaveTextContent("partial");
    expect(screen.getByTestId("run-stderr")).toHaveTextContent("Killed");
  });

  it("escapes program output: markup is shown as text, never rendered", () => {
    const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script><b>bold</b>';
    const { container } = render(<OutputPane run={run({ stdout: hostile, stderr: "<i>err</i>" })} running={false} />);
    expect(screen.getByTestId("run-stdout").textContent).toBe(hostile);
    expect(screen.getByTestId("run-stderr").textContent).toBe("<i>err</i>");
    expect(container.querySelector("img, script, b, i")).toBeNull();
  });
});
