import { useEffect, useState } from 'react';
import { type ApiError, asApiError } from '../../api/client';
import { previewSegment, type SegmentCounts, type SegmentFilter } from './segment-preview';

/** Long enough that ticking three boxes in a row asks the server once, short enough to feel live. */
export const PREVIEW_DELAY_MS = 400;

export interface Preview {
  counts: SegmentCounts | undefined;
  /** A newer filter is waiting for its counts: the ones shown are for an earlier choice. */
  stale: boolean;
  error: ApiError | undefined;
}

/**
 * The counts of a filter being built, asked for once the author pauses; an answer to an older filter that
 * arrives late is dropped (its request is aborted).
 */
export function useSegmentPreview(filter: SegmentFilter): Preview {
  const [preview, setPreview] = useState<Preview>({ counts: undefined, stale: true, error: undefined });
  const key = JSON.stringify(filter);
  useEffect(() => {
    const controller = new AbortController();
    setPreview((previous) => ({ ...previous, stale: true }));
    const timer = setTimeout(() => {
      previewSegment(JSON.parse(key) as SegmentFilter, controller.signal).then(
        (counts) => setPreview({ counts, stale: false, error: undefined }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setPreview((previous) => ({
            ...previous,
            stale: false,
            error: asApiError(error),
          }));
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key]);
  return preview;
}
