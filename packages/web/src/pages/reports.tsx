/**
 * @module pages/reports
 * Received probe reports, newest first, paged with the server's cursor and
 * filtered by office, device, result and the days they arrived. The filters
 * live in the URL (a filtered list can be shared, and an office's "Reports"
 * link opens it pre-filtered); the API checks every value.
 */
import { useEffect, useState } from 'react';
import { query } from '../api/client.ts';
import type { List, OfficeSummary, ReportSummary } from '../api/types.ts';
import { Card } from '../components/card.tsx';
import { CursorListView } from '../components/cursor-list-view.tsx';
import { InputField, SelectField } from '../components/fields.tsx';
import { PageHead } from '../components/page-head.tsx';
import { ReportsTable } from '../components/reports-table.tsx';
import { Empty } from '../components/states.tsx';
import { useApi } from '../lib/use-api.ts';
import { useCursorList } from '../lib/use-cursor-list.ts';
import { navigate, useLocation } from '../router.tsx';

const RESULTS = [
  { value: '', label: 'Any result' },
  { value: 'failed', label: 'Some checks failed' },
  { value: 'passed', label: 'All checks passed' },
];

/** Local midnight of a `YYYY-MM-DD` day, `days` later, as the API's ISO time; undefined for no day. */
function dayStart(day: string, days = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).toISOString();
}

export function ReportsPage() {
  const { search } = useLocation();
  const office = search.get('office') ?? '';
  const device = search.get('device') ?? '';
  const result = search.get('result') ?? '';
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  // The device id is typed: the list follows on Enter or when the field is left, not at every key.
  const [deviceText, setDeviceText] = useState(device);
  useEffect(() => setDeviceText(device), [device]);
  const list = useCursorList<ReportSummary>(
    (cursor) =>
      `/reports${query({ office, device, result, since: dayStart(from), until: dayStart(to, 1), limit: 50, cursor })}`,
  );
  const offices = useApi<List<OfficeSummary>>('/offices');
  const officeOptions = [
    { value: '', label: 'All offices' },
    ...(offices.data?.items ?? [])
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((o) => ({ value: o.id, label: o.name })),
  ];
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    const qs = next.toString();
    navigate(`/reports${qs ? `?${qs}` : ''}`, { replace: true });
  };
  const filtered = Boolean(office || device || result || from || to);

  return (
    <>
      <PageHead title="Reports" sub="Every probe run that reached the collector, newest first." />
      <form
        className="filters"
        aria-label="Filter reports"
        onSubmit={(e) => {
          e.preventDefault();
          set('device', deviceText.trim());
        }}
      >
        <SelectField
          id="f-office"
          label="Office"
          value={office}
          onChange={(v) => set('office', v)}
          options={officeOptions}
        />
        <InputField
          id="f-device"
          label="Device"
          placeholder="device id, then Enter"
          value={deviceText}
          onChange={setDeviceText}
          onBlur={() => set('device', deviceText.trim())}
        />
        <SelectField
          id="f-result"
          label="Result"
          value={result}
          onChange={(v) => set('result', v)}
          options={RESULTS}
        />
        <InputField
          id="f-from"
          label="From"
          type="date"
          value={from}
          max={to || undefined}
          onChange={(v) => set('from', v)}
        />
        <InputField
          id="f-to"
          label="To"
          type="date"
          value={to}
          min={from || undefined}
          onChange={(v) => set('to', v)}
        />
        {filtered && (
          <button type="button" className="ghost" onClick={() => navigate('/reports', { replace: true })}>
            Clear filters
          </button>
        )}
      </form>
      <Card>
        <CursorListView
          list={list}
          empty={
            filtered ? (
              <Empty title="No reports match">
                <p>Try other filters.</p>
              </Empty>
            ) : (
              <Empty title="No reports yet">
                <p>Probes send a report after every run.</p>
              </Empty>
            )
          }
        >
          {(items) => <ReportsTable items={items} showOffice={!office} deviceLinks />}
        </CursorListView>
      </Card>
    </>
  );
}
