import { useEffect, type ReactNode } from 'react';

/** One page: its heading, the document title, and the actions beside the heading. */
export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Loa`;
  }, [title]);
  return (
    <>
      <div className="page-header">
        <h1>{title}</h1>
        {actions && <div className="actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}
