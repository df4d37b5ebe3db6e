/**
 * @module pages/report-sweep
 * The report's endpoint sweep and traffic, compact: the sweep's failures
 * grouped by cause as the probe's text report groups them (protocol
 * sweep-groups.ts: "10 of 45 required endpoints intercepted by Zscaler
 * (sets 46, 64: Common)"), then one row per host — result class, sets,
 * route, TLS verdict, HTTP status, phase timings — failing groups first,
 * the reachable hosts folded; and the bytes each check sent and received.
 */
import { groupHeadline, type SweepGroup, sweepGroups } from '@netinsights/protocol/sweep-groups.ts';
import type { ProbeReport } from '../api/types.ts';
import { Card } from '../components/card.tsx';
import { ms } from '../lib/format.ts';

type Sweep = NonNullable<ProbeReport['sweep']>;
type Host = Sweep['hosts'][number];

/** Bytes as a person reads them: SI units, as the traffic cap is stated (25 MB = 25 × 10^6). */
function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(2)} MB`;
}

function catalogText(c: Sweep['catalog']): string {
  if (c.source === 'collector') return `the collector's catalog${c.version ? ` ${c.version}` : ''}`;
  return c.source === 'file' ? 'a catalog file' : 'the shipped catalog snapshot';
}

function timings(h: Host): string {
  const parts: [string, number | undefined][] = [
    ['DNS', h.dnsMs],
    ['connect', h.connectMs],
    ['CONNECT', h.proxyConnectMs],
    ['TLS', h.tlsMs],
    ['first byte', h.firstByteMs],
  ];
  return [
    ...parts.filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${ms(v)}`),
    `total ${ms(h.totalMs)}`,
  ].join(' · ');
}

function tlsText(h: Host): string {
  if (!h.tls) return '—';
  return h.tls.verdict === 'intercepted' && h.tls.vendor ? `intercepted (${h.tls.vendor})` : h.tls.verdict;
}

function HostRow({ h }: { h: Host }) {
  return (
    <tr data-sweep-host={h.host}>
      <td className="mono host">
        {h.host}
        {h.pattern && <div className="small muted">for {h.pattern}</div>}
      </td>
      <td className="mono small code">
        {h.code === 'ok' ? (
          <span className="badge ok">ok</span>
        ) : (
          <span style={{ color: h.code === 'probe/deadline' ? 'var(--text-3)' : 'var(--bad)' }}>
            {h.code}
          </span>
        )}
      </td>
      <td className="small">
        {h.sets.join(', ')}
        <div className="muted">
          {h.category} · {h.serviceAreas.join(', ')}
        </div>
      </td>
      <td className="small">{h.route === 'proxy' ? `proxy ${h.proxy ?? ''}` : 'direct'}</td>
      <td className="small">{tlsText(h)}</td>
      <td className="small num">{h.status ?? '—'}</td>
      <td className="small muted">{timings(h)}</td>
    </tr>
  );
}

function HostTable({ hosts, label }: { hosts: readonly Host[]; label: string }) {
  return (
    <div className="table-wrap">
      <table className="mini-table sweep-hosts" aria-label={label}>
        <thead>
          <tr>
            <th>Host</th>
            <th>Result</th>
            <th>Sets</th>
            <th>Route</th>
            <th>TLS</th>
            <th className="num">HTTP</th>
            <th>Timings</th>
          </tr>
        </thead>
        <tbody>
          {hosts.map((h) => (
            <HostRow key={`${h.host}:${h.port}`} h={h} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function GroupBlock({ g, total }: { g: SweepGroup; total: number }) {
  const soft = g.code === 'probe/deadline';
  return (
    <details className="check sweep-group" open={!soft} data-sweep-group={g.code}>
      <summary>
        <span className={`badge ${soft ? 'medium' : 'high'}`}>{soft ? 'Not reached' : 'Fail'}</span>
        <span>{groupHeadline(g, total)}</span>
        <span className="mono small muted hide-sm">{g.code}</span>
      </summary>
      <div className="check-body">
        {g.hosts.find((h) => h.message)?.message && (
          <p className="small muted">Seen: {g.hosts.find((h) => h.message)?.message}</p>
        )}
        <HostTable hosts={g.hosts} label={groupHeadline(g, total)} />
      </div>
    </details>
  );
}

/** The "Endpoint sweep" card of a report that has one. */
export function SweepCard({ sweep }: { sweep: Sweep }) {
  const total = sweep.hosts.length;
  const passing = sweep.hosts.filter((h) => h.code === 'ok');
  const groups = sweepGroups(sweep);
  return (
    <Card
      title="Endpoint sweep"
      titleId="sweep-title"
      aside={
        <span className="small muted">
          {total} required Optimize and Allow endpoints of {catalogText(sweep.catalog)} · {sweep.concurrency}{' '}
          at a time · {(sweep.durationMs / 1000).toFixed(1)} s
        </span>
      }
    >
      {groups.map((g) => (
        <GroupBlock key={g.what} g={g} total={total} />
      ))}
      {passing.length > 0 && (
        <details className="check sweep-group" open={groups.length === 0} data-sweep-group="ok">
          <summary>
            <span className="badge ok">Pass</span>
            <span>
              {passing.length === total ? `all ${total}` : `${passing.length} of ${total}`} reachable, TLS
              genuine
            </span>
          </summary>
          <div className="check-body">
            <HostTable hosts={passing} label="Reachable endpoints" />
          </div>
        </details>
      )}
      {sweep.skipped.length > 0 && (
        <details className="check sweep-group" data-sweep-group="skipped">
          <summary>
            <span className="badge idle">Skipped</span>
            <span>
              {sweep.skipped.length} catalog entr{sweep.skipped.length === 1 ? 'y' : 'ies'} not swept
            </span>
          </summary>
          <ul className="check-body small">
            {sweep.skipped.map((k) => (
              <li key={k.path}>
                <code>{k.path}</code> {k.entry}: {k.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </Card>
  );
}

/** What each check of the run sent and received, counted at its sockets (the unit of the daily cap). */
export function TrafficCard({ traffic }: { traffic: NonNullable<ProbeReport['traffic']> }) {
  const sent = traffic.reduce((n, t) => n + t.sentBytes, 0);
  const received = traffic.reduce((n, t) => n + t.receivedBytes, 0);
  return (
    <Card
      title="Traffic"
      titleId="traffic-title"
      aside={
        <span className="small muted">bytes on the wire per check; counts against the agent's daily cap</span>
      }
    >
      <div className="table-wrap">
        <table className="mini-table" aria-label="Traffic per check">
          <thead>
            <tr>
              <th>Check</th>
              <th className="num">Sent</th>
              <th className="num">Received</th>
              <th className="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {traffic.map((t) => (
              <tr key={t.check} data-traffic-check={t.check}>
                <td className="mono">{t.check}</td>
                <td className="num">{bytes(t.sentBytes)}</td>
                <td className="num">{bytes(t.receivedBytes)}</td>
                <td className="num">{bytes(t.sentBytes + t.receivedBytes)}</td>
              </tr>
            ))}
            <tr data-traffic-check="total">
              <td>
                <strong>This run</strong>
              </td>
              <td className="num">{bytes(sent)}</td>
              <td className="num">{bytes(received)}</td>
              <td className="num">
                <strong>{bytes(sent + received)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </Card>
  );
}
