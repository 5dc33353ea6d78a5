import type { ReactNode } from 'react';

/**
 * A wide table that scrolls sideways on a phone: the scrolling region is focusable and named, so it can be
 * scrolled with the keyboard too.
 */
export function ScrollingTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap table-wrap--phone" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
