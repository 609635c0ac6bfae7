import type { CSSProperties, ReactNode } from 'react';

export interface SimpleColumn<T> {
  key: string;
  title: ReactNode;
  align?: 'left' | 'right' | 'center';
  width?: number | string;
  render(row: T, index: number): ReactNode;
}

const HEAD: CSSProperties = {
  padding: '8px',
  background: '#fafafa',
  borderBottom: '1px solid #f0f0f0',
  fontWeight: 600,
  whiteSpace: 'nowrap',
};
const CELL: CSSProperties = { padding: '8px', borderBottom: '1px solid #f0f0f0', verticalAlign: 'top' };

/**
 * A read-only table in Ant Design's small-table look, without its JavaScript: Ant Design's Table (with its
 * pagination and selects) is about 80 kB gzipped, which would push detail pages over the first-screen budget.
 */
export function SimpleTable<T>({
  columns,
  rows,
  rowKey,
  empty,
  testId,
}: {
  columns: SimpleColumn<T>[];
  rows: T[];
  rowKey(row: T, index: number): string;
  empty?: ReactNode;
  testId?: string;
}) {
  return (
    <div style={{ overflowX: 'auto' }}>
      <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 14 }} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} style={{ ...HEAD, textAlign: c.align ?? 'left', width: c.width }}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td
                colSpan={columns.length}
                style={{ ...CELL, textAlign: 'center', color: '#8c8c8c', padding: 24 }}
              >
                {empty ?? '—'}
              </td>
            </tr>
          ) : (
            rows.map((row, i) => (
              <tr key={rowKey(row, i)}>
                {columns.map((c) => (
                  <td key={c.key} style={{ ...CELL, textAlign: c.align ?? 'left' }}>
                    {c.render(row, i)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
