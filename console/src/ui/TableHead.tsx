/** A column of a table: its heading, and whether it holds numbers (aligned right, heading and cells alike). */
export interface Column {
  label: string;
  number?: boolean;
}

/** The heading row of a table, each heading naming its column for a screen reader. */
export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map(({ label, number }) => (
          <th key={label} scope="col" className={number ? 'number' : undefined}>
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
