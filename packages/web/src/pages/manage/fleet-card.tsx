/**
 * @module pages/manage/fleet-card
 * The agents that checked in, by version, on the agent tokens page: which
 * run an older version than the collector's (an update is a re-run of the
 * install line with the newer file) and which went silent: no check-in, or
 * check-ins but no report arriving, for two intervals.
 */
import type { AgentFleet } from '../../api/types.ts';
import { Empty, ErrorNotice, Loading } from '../../components/states.tsx';
import { ago, dateTime } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';

export function FleetCard() {
  const { data, error, reload } = useApi<AgentFleet>('/agents');
  const outOfDate = data?.items.filter((a) => a.outOfDate).length ?? 0;
  const silent = data?.items.filter((a) => a.silent).length ?? 0;
  return (
    <section className="card" aria-labelledby="fleet-title">
      <div className="card-head">
        <h2 id="fleet-title">Agents by version</h2>
      </div>
      {error && (
        <div className="card-body">
          <ErrorNotice error={error} retry={reload} />
        </div>
      )}
      {!data && !error && <Loading />}
      {data && data.items.length === 0 && <Empty title="No agent has checked in yet" />}
      {data && data.items.length > 0 && (
        <>
          <div className="card-body">
            <p className="small" data-testid="fleet-summary">
              Current version {data.currentVersion}: {data.items.length} agents, {outOfDate} out of date,{' '}
              {silent} silent (no check-in or no report for {Math.round(data.silentAfterSeconds / 60)}{' '}
              minutes).
            </p>
          </div>
          <div className="table-wrap">
            <table data-testid="fleet-table">
              <thead>
                <tr>
                  <th>Version</th>
                  <th>Device</th>
                  <th>Token</th>
                  <th>Last check-in</th>
                  <th>Last report</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((a) => (
                  <tr key={`${a.tokenId}/${a.deviceId}`} data-device={a.deviceId}>
                    <td>{a.version}</td>
                    <td>{a.deviceId}</td>
                    <td>{a.tokenName ?? '—'}</td>
                    <td title={dateTime(a.lastSeenAt)}>{ago(a.lastSeenAt)}</td>
                    <td title={a.lastReportAt ? dateTime(a.lastReportAt) : undefined}>
                      {a.lastReportAt ? ago(a.lastReportAt) : 'none lately'}
                    </td>
                    <td>
                      {a.silent && (
                        <span
                          className="badge high"
                          title={
                            a.silentBecause === 'no-report'
                              ? 'It checks in, but none of its reports arrive: see agent status on the device'
                              : 'Not heard from'
                          }
                        >
                          {a.silentBecause === 'no-report' ? 'Silent: no reports' : 'Silent'}
                        </span>
                      )}{' '}
                      {a.outOfDate && <span className="badge medium">Out of date</span>}
                      {!a.silent && !a.outOfDate && <span className="badge ok">OK</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
