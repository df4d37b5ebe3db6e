/**
 * @module components/front-door-table
 * The evidence of a distant-front-door insight: per workload, the Microsoft
 * front door this office's devices land on against the best one other
 * organisations' offices in the same city use (a rounded aggregate of at
 * least five offices), with where each is and the milliseconds to gain.
 */
import type { FrontDoorEvidence, FrontDoorPlace } from '@netinsights/protocol';
import { count, ms } from '../lib/format.ts';

function Place({ place }: { place: FrontDoorPlace }) {
  const where = [place.city, place.country].filter(Boolean).join(', ');
  return (
    <>
      <span className="mono">{place.address}</span>
      {where && <span className="muted"> · {where}</span>}
      {place.distanceKm !== null && <span className="muted"> · {count(place.distanceKm)} km</span>}
    </>
  );
}

export function FrontDoorTable({ rows }: { rows: FrontDoorEvidence[] }) {
  return (
    <section>
      <h4>Front door in use against the best nearby</h4>
      <table className="mini-table">
        <thead>
          <tr>
            <th>Workload</th>
            <th>In use</th>
            <th>Best nearby</th>
            <th className="num">To gain</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.workload}>
              <td>{r.workload}</td>
              <td>
                <Place place={r.inUse} /> <span className="muted">· {ms(r.inUse.medianMs)}</span>
              </td>
              <td>
                <Place place={r.best} />{' '}
                <span className="muted">
                  · {ms(r.best.medianMs)}, {count(r.best.offices)} offices
                </span>
              </td>
              <td className="num">
                {r.worse ? <strong>{ms(r.potentialGainMs)}</strong> : ms(r.potentialGainMs)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
