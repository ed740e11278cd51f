import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Markdown } from "@/components/markdown/markdown";

describe("Markdown (untrusted chat text)", () => {
  it("renders markdown and code blocks", () => {
    const { container } = render(<Markdown text={"**Bold** and `x`\n\n```python\nprint(1)\n```"} />);
    expect(container.querySelector("strong")).toHaveTextContent("Bold");
    expect(container.querySelector("pre code")).toHaveTextContent("print(1)");
  });

  it("never renders raw HTML", () => {
    const { container } = render(<Markdown text={'Hi <script>alert(1)</script> <img src="x" onerror="alert(2)"> <b>b</b>'} />);
    expect(container.querySelector("script, b, [onerror]")).toBeNull();
  });

  it("drops javascript: links and keeps safe ones in a new tab", () => {
    const { container } = render(<Markdown text={"[bad](javascript:alert(1)) [good](https://example.org)"} />);
    const links = [...container.querySelectorAll("a")];
    expect(links.map((link) => link.getAttribute("href"))).not.toContain("javascript:alert(1)");
    const good = screen.getByText("good");
    expect(good).toHaveAttribute("href", "https://example.org");
    expect(good).toHaveAttribute("rel", expect.stringContaining("noopener"));
  });

  it("shows images as text, so no message can make the browser fetch anything", () => {
    const { container } = render(<Markdown text={"![diagram](http://tracker.example/x.png)"} />);
    expect(container.querySelector("img")).toBeNull();
    expect(container).toHaveTextContent("[image: diagram]");
  });
});
