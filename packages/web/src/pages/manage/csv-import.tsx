/**
 * @module pages/manage/csv-import
 * Imports offices from CSV (pasted or chosen as a file). A row updates the
 * office with its `id` (optional column) or its name and creates one
 * otherwise; the answer says how many of each. The import is all or
 * nothing: when any row is wrong the server imports none and lists every
 * bad row with its column and the reason, shown here next to the row's text.
 */
import { useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import type { RowError } from '../../api/types.ts';
import { DataTable } from '../../components/data-table.tsx';
import { Notice } from '../../components/notice.tsx';
import { useAction } from '../../lib/use-action.ts';

const HEADER = 'name,address,city,country,latitude,longitude,lan_subnets,egress_ranges';
const EXAMPLE = `${HEADER}
Berlin HQ,Alexanderplatz 1,Berlin,DE,52.52,13.405,10.10.0.0/16,198.51.100.0/28
Lisbon,,Lisbon,PT,38.72,-9.14,10.20.0.0/16;10.21.0.0/16,203.0.113.16/28`;

/** The bad rows the server listed with its refusal, if any. */
function rowErrorsOf(error: Error | null): RowError[] | null {
  const rows =
    error instanceof ApiError ? (error.details as { rows?: RowError[] } | undefined)?.rows : undefined;
  return rows && rows.length > 0 ? rows : null;
}

const officeCount = (n: number) => `${n} office${n === 1 ? '' : 's'}`;

export function CsvImport({ onImported }: { onImported: (n: number) => void }) {
  const [text, setText] = useState('');
  const action = useAction();
  const [done, setDone] = useState<{ created: number; updated: number } | null>(null);
  const error = action.error?.message ?? null;
  const rowErrors = rowErrorsOf(action.error);

  // The server numbers rows as lines of the file with the header as line 1,
  // counting only non-empty lines (blank lines are skipped when parsing).
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');

  async function run() {
    setDone(null);
    await action.submit(async () => {
      const r = await api<{ imported: number; created: number; updated: number }>('/offices/import', {
        method: 'POST',
        rawBody: { text, contentType: 'text/csv' },
      });
      setDone({ created: r.created, updated: r.updated });
      setText('');
      onImported(r.imported);
    });
  }

  return (
    <div>
      <p className="small muted">
        Header: <code>{HEADER}</code>, optionally with an <code>id</code> column. A row updates the office
        with that id, or else with that name, and creates one otherwise. Countries are ISO 3166 codes (
        <code>DE</code>, <code>US</code>). Separate several subnets with a space or <code>;</code>. Nothing is
        imported unless every row is valid.
      </p>
      <div className="field">
        <label htmlFor="csv-text">CSV</label>
        <textarea
          id="csv-text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={EXAMPLE}
          spellCheck={false}
        />
      </div>
      <div className="row" style={{ marginBottom: 12 }}>
        <label className="button" htmlFor="csv-file" style={{ margin: 0 }}>
          Choose a file…
        </label>
        <input
          id="csv-file"
          type="file"
          accept=".csv,text/csv"
          className="sr-only"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (f) setText(await f.text());
          }}
        />
        <button
          type="button"
          className="primary"
          disabled={action.busy || !text.trim()}
          onClick={() => void run()}
        >
          {action.busy ? 'Importing…' : 'Import offices'}
        </button>
      </div>
      {done !== null && (
        <Notice tone="ok" role="status">
          {officeCount(done.created)} created, {officeCount(done.updated)} updated.
        </Notice>
      )}
      {error && (
        <div className="notice error" role="alert" data-testid="csv-errors">
          <div style={{ flex: 1 }}>
            <strong>Nothing was imported</strong>
            {error}
            {rowErrors && (
              <DataTable
                mini
                style={{ marginTop: 8, background: '#fff' }}
                rows={rowErrors}
                rowKey={(r) => `${r.row}-${r.column ?? ''}-${r.message}`}
                rowProps={(r) => ({ className: 'error-row', 'data-row': String(r.row) })}
                columns={[
                  { head: 'Line', className: 'num', cell: (r) => r.row },
                  { head: 'Column', cell: (r) => (r.column ? <code>{r.column}</code> : '—') },
                  { head: 'Problem', cell: (r) => r.message },
                  {
                    head: 'Content',
                    className: 'mono small',
                    style: { maxWidth: 320, overflowWrap: 'anywhere' },
                    cell: (r) => lines[r.row - 1] ?? '',
                  },
                ]}
              />
            )}
          </div>
        </div>
      )}
    </div>
  );
}
