import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, asApiError } from '../api/client';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * Loads with `load` when `keys` change, and again every `refreshMs` if given. A failed refresh keeps the
 * last data on screen beside the error, so nothing shown disappears when the connection drops.
 */
export function useLoad<T>(load: () => Promise<T>, keys: readonly unknown[], refreshMs?: number): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const value = await loadRef.current();
        if (cancelled) return;
        setData(value);
        setError(undefined);
      } catch (caught) {
        if (cancelled) return;
        setError(asApiError(caught));
      } finally {
        if (!cancelled) setLoading(false);
      }
      if (!cancelled && refreshMs !== undefined) timer = setTimeout(run, refreshMs);
    };
    setLoading(true);
    void run();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [...keys, refreshMs, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, error, loading, reload };
}
