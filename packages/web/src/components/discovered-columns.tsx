/**
 * @module components/discovered-columns
 * The columns a discovered location is listed with, on the overview and on
 * the page that adopts them: its remote-worker city or egress prefix, where it is, and how many
 * devices and reports came from it.
 */
import type { Discovered } from '../api/types.ts';
import { count } from '../lib/format.ts';
import type { Column } from './data-table.tsx';

export const DISCOVERED_COLUMNS: readonly Column<Discovered>[] = [
  {
    head: 'Location',
    cell: (d) => (d.grouping === 'city' ? d.label : <span className="mono">{d.egressPrefix}</span>),
  },
  {
    head: 'Where',
    cell: (d) => [d.city, d.country].filter(Boolean).join(', ') || <span className="muted">unknown</span>,
  },
  { head: 'Devices', headClass: 'num', className: 'num', cell: (d) => count(d.devices) },
  { head: 'Reports', headClass: 'num', className: 'num', cell: (d) => count(d.reports) },
];
