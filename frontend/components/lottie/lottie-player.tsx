"use client";

import { LottieLight, type LottieHandle } from "lottie-react";
import { useEffect, useRef } from "react";

interface LottiePlayerProps {
  animation: object;
  playing: boolean;
  className?: string;
}

/**
 * The light (svg-only, no expressions) lottie-web build, fed a local JSON
 * object: nothing is fetched. Stopping returns to frame 0, the resting pose.
 */
export default function LottiePlayer({ animation, playing, className }: LottiePlayerProps) {
  const handle = useRef<LottieHandle>(null);

  useEffect(() => {
    if (playing) handle.current?.play();
    else handle.current?.stop();
  }, [playing]);

  return (
    <LottieLight
      src={animation}
      loop
      autoplay={playing}
      lottieRef={handle}
      className={className}
      aria-hidden="true"
      subscriptions={{
        ready: () => {
          if (playing) handle.current?.play();
        },
      }}
    />
  );
}
