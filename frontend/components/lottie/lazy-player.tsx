"use client";

import dynamic from "next/dynamic";

/** The Lottie engine loads after the page, so it never weighs on the first paint. */
export const LazyLottiePlayer = dynamic(() => import("@/components/lottie/lottie-player"), {
  ssr: false,
  loading: () => <span className="block size-full rounded-full bg-accent" aria-hidden="true" />,
});
