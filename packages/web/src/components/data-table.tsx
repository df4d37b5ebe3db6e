/**
 * @module components/data-table
 * A list as a table from its column definitions: a header cell and a body
 * cell per column, one row per item, in a `TableScroll` that shows when
 * columns are past the edge (or, as a `mini` table inside a card's content,
 * without it). On narrow screens each row becomes a card whose cells carry
 * their column's name (`data-label`, styles/app.css "tables as cards"). A
 * time column (`at`) reads "5 min ago", with the date and time in the tooltip.
 */
import type { CSSProperties, HTMLAttributes, ReactNode } from 'react';
import { ago, dateTime } from '../lib/format.ts';
import { TableScroll } from './table-scroll.tsx';

/** One column: its header, and the cell it renders for a row. */
export interface Column<T> {
  head: ReactNode;
  /** Class of the header cell (`num`, `hide-sm`…). */
  headClass?: string;
  /** The column's name on a card (narrow screens), when `head` is not plain text. */
  cardLabel?: string;
  /** Class of the body cells. */
  className?: string;
  style?: CSSProperties;
  /** Tooltip of a body cell. */
  title?: (row: T) => string;
  /** The cell's content; a time column gives `at` instead. */
  cell?: (row: T) => ReactNode;
  /** The time a time column shows. */
  at?: (row: T) => string | null | undefined;
}

/** The header of a column of buttons: read out, not shown. */
export const ACTIONS = <span className="sr-only">Actions</span>;

export function DataTable<T>({
  rows,
  columns,
  rowKey,
  rowProps,
  testId,
  mini,
  label,
  style,
}: {
  rows: readonly T[];
  /** A column given as `false` is left out (one that only some views show). */
  columns: readonly (Column<NoInfer<T>> | false)[];
  rowKey: (row: NoInfer<T>) => string;
  /** Attributes of a row (`data-*` names the tests find rows by, a class). */
  rowProps?: (row: T) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string>;
  testId?: string;
  /** A small table inside other content (evidence, an attempt log, a list of bad rows). */
  mini?: boolean;
  /** The table's accessible name, when no heading names it. */
  label?: string;
  style?: CSSProperties;
}) {
  const cols = columns.filter((c): c is Column<T> => c !== false);
  const table = (
    <table
      className={mini ? 'mini-table' : 'data-table'}
      aria-label={label}
      style={style}
      data-testid={testId}
    >
      <thead>
        <tr>
          {cols.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed; their order never changes.
            <th key={i} className={c.headClass}>
              {c.head}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)} {...rowProps?.(r)}>
            {cols.map((c, i) => (
              <td
                // biome-ignore lint/suspicious/noArrayIndexKey: as above.
                key={i}
                className={c.className}
                style={c.style}
                data-label={c.cardLabel ?? (typeof c.head === 'string' ? c.head : undefined)}
                title={c.at ? dateTime(c.at(r)) : c.title?.(r)}
              >
                {c.at ? ago(c.at(r)) : c.cell?.(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return mini ? table : <TableScroll {...(label ? { label } : {})}>{table}</TableScroll>;
}
