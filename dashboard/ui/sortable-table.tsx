/**
 * A keyboard-usable table: column headers are buttons that sort (aria-sort says how), rows are
 * focusable and move with the arrow keys, Enter opens a row. Cell content is rendered as text.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/** One column. */
export interface Column<T> {
  key: string;
  label: string;
  /** The cell (text, or markup built from text). */
  cell: (row: T) => ComponentChildren;
  /** Sort value; the column is not sortable without one. */
  sort?: (row: T) => number | string;
  numeric?: boolean;
}

/** Props of `SortableTable`. */
export interface SortableTableProps<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  onOpen?: (row: T) => void;
  /** Sorting done elsewhere (the server): called instead of sorting `rows` here. */
  onSort?: (key: string, order: 'asc' | 'desc') => void;
  sortKey?: string;
  sortOrder?: 'asc' | 'desc';
}

function moveFocus(event: KeyboardEvent, open: () => void): void {
  const row = event.currentTarget as HTMLElement;
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    open();
  } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    event.preventDefault();
    const next = (event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling) as HTMLElement | null;
    next?.focus();
  }
}

/** The table. */
export function SortableTable<T>(props: SortableTableProps<T>) {
  const [local, setLocal] = useState<{ key: string; order: 'asc' | 'desc' } | undefined>(undefined);
  const sortKey = props.onSort ? props.sortKey : local?.key;
  const sortOrder = props.onSort ? props.sortOrder : local?.order;
  let rows = props.rows;
  if (!props.onSort && local) {
    const column = props.columns.find((c) => c.key === local.key);
    if (column?.sort) {
      const value = column.sort;
      const sign = local.order === 'asc' ? 1 : -1;
      rows = [...rows].sort((a, b) => {
        const x = value(a);
        const y = value(b);
        return sign * (typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number));
      });
    }
  }
  const sortBy = (key: string): void => {
    const order = sortKey === key && sortOrder === 'desc' ? 'asc' : 'desc';
    if (props.onSort) props.onSort(key, order);
    else setLocal({ key, order });
  };
  return (
    <table class="grid">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th
              key={c.key}
              scope="col"
              class={c.numeric ? 'num' : undefined}
              aria-sort={sortKey === c.key ? (sortOrder === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              {c.sort ? (
                <button type="button" class="sort" onClick={() => sortBy(c.key)}>
                  {c.label}
                  <span aria-hidden="true">{sortKey === c.key ? (sortOrder === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                </button>
              ) : (
                c.label
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={props.rowKey(row)}
            tabIndex={props.onOpen ? 0 : undefined}
            class={props.onOpen ? 'open' : undefined}
            onClick={props.onOpen ? () => props.onOpen!(row) : undefined}
            onKeyDown={props.onOpen ? (e) => moveFocus(e, () => props.onOpen!(row)) : undefined}
          >
            {props.columns.map((c) => (
              <td key={c.key} class={c.numeric ? 'num' : undefined}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
