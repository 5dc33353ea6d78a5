import type { ReactNode } from 'react';

/**
 * A wide table that scrolls sideways on a phone: the scrolling region is focusable and named, so it can be
 * scrolled with the keyboard too.
 */
export function ScrollingTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must take focus, or the keyboard cannot scroll it
    <section className="table-wrap table-wrap--phone" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
