/**
 * @module components/world-map
 * The offline world map of the overview: Natural Earth 1:110m country shapes
 * (world-atlas, fetched once as a static asset, no tile server) drawn with
 * an Equal Earth projection, one marker per office coloured by its worst
 * active insight, and hollow markers for discovered locations. Markers link
 * to the office; the office table below is the keyboard path to the same
 * places, so markers are not tab stops (a thousand of them would be a trap).
 */
import { geoEqualEarth, geoGraticule10, geoPath } from 'd3-geo';
import { type MouseEvent, memo, useEffect, useMemo, useState } from 'react';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import atlasUrl from 'world-atlas/countries-110m.json?url';
import { navigate } from '../router.tsx';

export interface MapMarker {
  id: string;
  label: string;
  detail: string;
  latitude: number;
  longitude: number;
  /** CSS class: high, medium, low, ok, idle or discovered. */
  tone: string;
  href?: string;
}

const W = 960;
const H = 440;
/** Inhabited latitudes only: the frame skips Antarctica and the high Arctic. */
const FRAME = {
  type: 'MultiPoint' as const,
  coordinates: Array.from({ length: 73 }, (_, i) => i * 5 - 180).flatMap((lon) => [
    [lon, -56],
    [lon, 78],
  ]),
};
const TONE_ORDER: Record<string, number> = { discovered: 0, idle: 1, ok: 2, low: 3, medium: 4, high: 5 };

type Countries = ReturnType<typeof feature>;
let atlasPromise: Promise<Countries> | null = null;

/** The country shapes, fetched and decoded once per page load. */
function loadLand(): Promise<Countries> {
  atlasPromise ??= fetch(atlasUrl)
    .then((r) => {
      if (!r.ok) throw new Error(`map data answered ${r.status}`);
      return r.json() as Promise<Topology<{ countries: GeometryCollection }>>;
    })
    .then((topo) => feature(topo, topo.objects.countries));
  return atlasPromise;
}

/**
 * The area to show: the world when offices are spread over it, otherwise the
 * region around them (padded, and never closer than about a continent) so a
 * tenant with offices in one region sees them apart.
 */
function frameFor(markers: readonly MapMarker[]): { frame: typeof FRAME; centre: number } {
  if (markers.length === 0) return { frame: FRAME, centre: 0 };
  let west = 180;
  let east = -180;
  let south = 90;
  let north = -90;
  for (const m of markers) {
    west = Math.min(west, m.longitude);
    east = Math.max(east, m.longitude);
    south = Math.min(south, m.latitude);
    north = Math.max(north, m.latitude);
  }
  if (east - west > 200) return { frame: FRAME, centre: 0 };
  const padLon = Math.max(15, (50 - (east - west)) / 2);
  const padLat = Math.max(8, (24 - (north - south)) / 2);
  const w = Math.max(-180, west - padLon);
  const e = Math.min(180, east + padLon);
  const s = Math.max(-56, south - padLat);
  const n = Math.min(78, north + padLat);
  return {
    frame: {
      type: 'MultiPoint' as const,
      coordinates: Array.from({ length: 9 }, (_, i) => w + ((e - w) * i) / 8).flatMap((lon) => [
        [lon, s],
        [lon, n],
      ]),
    },
    // Centring the projection on the region keeps it upright instead of sheared at the edge.
    centre: (w + e) / 2,
  };
}

function projection({ frame, centre }: ReturnType<typeof frameFor>) {
  return geoEqualEarth()
    .rotate([-centre, 0])
    .fitExtent(
      [
        [4, 4],
        [W - 4, H - 4],
      ],
      frame,
    )
    .precision(0.5);
}

function WorldMapView({ markers, label }: { markers: MapMarker[]; label: string }) {
  const [countries, setCountries] = useState<Countries | null>(null);
  const [landError, setLandError] = useState(false);
  const [tip, setTip] = useState<{ x: number; y: number; m: MapMarker } | null>(null);

  useEffect(() => {
    let live = true;
    loadLand()
      .then((d) => live && setCountries(d))
      .catch(() => live && setLandError(true));
    return () => {
      live = false;
    };
  }, []);

  const proj = useMemo(() => projection(frameFor(markers)), [markers]);
  const land = useMemo(() => (countries ? (geoPath(proj)(countries) ?? '') : ''), [countries, proj]);
  const graticule = useMemo(() => geoPath(proj)(geoGraticule10()) ?? '', [proj]);
  const placed = useMemo(
    () =>
      markers
        .map((m) => ({ m, p: proj([m.longitude, m.latitude]) }))
        .filter((x): x is { m: MapMarker; p: [number, number] } => x.p !== null)
        .sort((a, b) => (TONE_ORDER[a.m.tone] ?? 0) - (TONE_ORDER[b.m.tone] ?? 0)),
    [markers, proj],
  );

  const open = (e: MouseEvent, m: MapMarker) => {
    if (!m.href) return;
    e.preventDefault();
    navigate(m.href);
  };

  return (
    <div className="map">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="xMidYMid slice">
        <title>{label}</title>
        <path className="graticule" d={graticule} />
        {land && <path className="land" d={land} />}
        {placed.map(({ m, p }) => (
          <a
            key={m.id}
            href={m.href}
            tabIndex={-1}
            onClick={(e) => open(e, m)}
            onMouseEnter={() => setTip({ x: (p[0] / W) * 100, y: (p[1] / H) * 100, m })}
            onMouseLeave={() => setTip(null)}
          >
            <circle
              className={`marker ${m.tone}`}
              cx={p[0]}
              cy={p[1]}
              r={m.tone === 'high' || m.tone === 'medium' ? 6 : 4.5}
            >
              <title>{`${m.label}: ${m.detail}`}</title>
            </circle>
          </a>
        ))}
      </svg>
      {tip && (
        <div className="map-tip" style={{ left: `${tip.x}%`, top: `${tip.y}%` }}>
          <strong>{tip.m.label}</strong> · {tip.m.detail}
        </div>
      )}
      {landError && (
        <div className="small muted" style={{ position: 'absolute', bottom: 6, left: 10 }}>
          Map outlines could not be loaded; office positions are still shown.
        </div>
      )}
    </div>
  );
}

/** Memoised: typing in the office search must not redraw a thousand markers. */
export const WorldMap = memo(WorldMapView);

export function MapLegend() {
  const items: [string, string][] = [
    ['var(--bad)', 'High'],
    ['#d97706', 'Medium'],
    ['var(--low)', 'Low'],
    ['var(--ok)', 'Healthy'],
    ['#94a3b8', 'No data (24 h)'],
  ];
  return (
    <div className="legend" aria-hidden="true">
      {items.map(([c, l]) => (
        <span key={l}>
          <i style={{ background: c }} />
          {l}
        </span>
      ))}
      <span>
        <i style={{ border: '2px dashed var(--primary)', background: '#fff' }} />
        Discovered
      </span>
    </div>
  );
}
