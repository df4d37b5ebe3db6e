/**
 * @module pages/overview/map-markers
 * The overview map's markers: every office coloured by its state, and every
 * discovered location with a known position.
 */
import type { Overview } from '../../api/types.ts';
import type { MapMarker } from '../../components/world-map.tsx';
import { count } from '../../lib/format.ts';
import { officeTone } from './office-order.ts';

export function mapMarkers(data: Overview): MapMarker[] {
  return [
    ...data.offices.map((o) => ({
      id: `o:${o.id}`,
      label: o.name,
      detail:
        o.activeInsights.length > 0
          ? `${o.activeInsights.length} active insight${o.activeInsights.length === 1 ? '' : 's'}`
          : o.reports24h > 0
            ? 'healthy'
            : 'no reports in 24 h',
      latitude: o.latitude,
      longitude: o.longitude,
      tone: officeTone(o),
      href: `/offices/${encodeURIComponent(o.id)}`,
    })),
    ...data.discovered
      .filter((d) => d.latitude !== null && d.longitude !== null)
      .map((d) => ({
        id: `d:${d.id}`,
        label: d.grouping === 'city' ? d.label : `Discovered ${d.egressPrefix}`,
        detail: `${count(d.reports)} reports, not adopted`,
        latitude: d.latitude ?? 0,
        longitude: d.longitude ?? 0,
        tone: 'discovered',
        href: '/manage/discovered',
      })),
  ];
}
