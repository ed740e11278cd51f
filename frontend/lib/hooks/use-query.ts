"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { describeError } from "@/lib/api/client";

interface QueryState<T> {
  key: string | null;
  data?: T;
  error?: string;
}

export interface QueryResult<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/** Fetch once per key (null = don't fetch); the previous result shows while a reload runs. */
export function useQuery<T>(key: string | null, fetcher: () => Promise<T>): QueryResult<T> {
  const [state, setState] = useState<QueryState<T>>({ key: null });
  const [nonce, setNonce] = useState(0);
  const fetcherRef = useRef(fetcher);

  useEffect(() => {
    fetcherRef.current = fetcher;
  });

  useEffect(() => {
    if (key === null) return;
    let cancelled = false;
    fetcherRef.current().then(
      (data) => {
        if (!cancelled) setState({ key, data });
      },
      (error: unknown) => {
        if (!cancelled) setState((previous) => ({ key, data: previous.key === key ? previous.data : undefined, error: describeError(error) }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [key, nonce]);

  const reload = useCallback(() => setNonce((value) => value + 1), []);
  const current: QueryState<T> = state.key === key ? state : { key };
  return {
    data: current.data,
    error: current.error,
    loading: key !== null && current.data === undefined && current.error === undefined,
    reload,
  };
}
