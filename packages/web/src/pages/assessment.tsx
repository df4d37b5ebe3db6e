/**
 * @module pages/assessment
 * The organisation's network assessment: its score (the device-weighted
 * mean of its offices'), the last 30 days, every office by score, and how
 * the score is computed — the bands are drawn from the same tables the
 * server scores with (protocol assessment.ts) — and its settings.
 */
import { type Band, DOWNLOAD_BAND, LATENCY_BAND, MOS_BAND } from '@netinsights/protocol/assessment.ts';
import { useMemo } from 'react';
import type { AssessmentAnswer, OfficeSummary } from '../api/types.ts';
import { Card, CardBody } from '../components/card.tsx';
import { DataTable } from '../components/data-table.tsx';
import { PageHead } from '../components/page-head.tsx';
import { PagePending } from '../components/page-pending.tsx';
import { ResourceView } from '../components/resource-view.tsx';
import { ScoreBadge } from '../components/score-badge.tsx';
import { count } from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';
import { Link } from '../router.tsx';
import { AssessmentSettingsCard } from './assessment/assessment-settings-card.tsx';
import { ScoreChart } from './assessment/score-chart.tsx';

const DAYS = 30;

function BandLine({ band, unit }: { band: Band; unit: string }) {
  return <span className="small">{band.map(([v, s]) => `${v} ${unit} → ${s}`).join(' · ')}</span>;
}

export function AssessmentPage() {
  const tenant = useApi<AssessmentAnswer>(`/assessment?days=${DAYS}`, { refreshMs: 60_000 });
  const offices = useApi<{ items: OfficeSummary[] }>('/offices');
  const ranked = useMemo(
    () =>
      [...(offices.data?.items ?? [])].sort(
        (a, b) => (a.assessment?.score ?? 101) - (b.assessment?.score ?? 101),
      ),
    [offices.data],
  );
  if (!tenant.data)
    return (
      <PagePending
        title="Network assessment"
        error={tenant.error}
        retry={tenant.reload}
        loadingLabel="Loading the assessment…"
      />
    );
  const t = tenant.data;
  return (
    <>
      <PageHead
        title="Network assessment"
        crumbs={[{ label: 'Overview', to: '/' }]}
        sub={`0–100 per office over the last ${t.window.days} days; the organisation's score weighs each office by its devices`}
      />
      <div className="stack">
        <Card title="Organisation" titleId="tenant-score-title" testId="tenant-assessment">
          <CardBody>
            <div className="grid grid-2">
              <div>
                <div className="assessment-head">
                  <span className="assessment-score" data-testid="tenant-score">
                    {t.score ?? '—'}
                  </span>
                  <ScoreBadge score={t.score} />
                </div>
                <p className="small muted">
                  {count(t.offices?.scored)} of {count(t.offices?.total)} offices scored,{' '}
                  {count(t.offices?.devices)} devices in the window.
                </p>
              </div>
              <ScoreChart history={t.history} days={DAYS} />
            </div>
          </CardBody>
        </Card>
        <Card title="Offices by score" titleId="office-scores-title">
          <ResourceView resource={offices} errorAs="plain" loadingLabel="Loading offices…">
            {() => (
              <DataTable
                testId="office-scores"
                rows={ranked}
                rowKey={(o) => o.id}
                columns={[
                  {
                    head: 'Office',
                    cell: (o) => <Link to={`/offices/${encodeURIComponent(o.id)}`}>{o.name}</Link>,
                  },
                  { head: 'Score', cell: (o) => <ScoreBadge score={o.assessment?.score} /> },
                  {
                    head: 'Latency',
                    cell: (o) => <ScoreBadge score={o.assessment?.components.latency?.score} />,
                  },
                  {
                    head: 'Download',
                    cell: (o) => <ScoreBadge score={o.assessment?.components.download?.score} />,
                  },
                  {
                    head: 'Teams media',
                    cell: (o) => <ScoreBadge score={o.assessment?.components.media?.score} />,
                  },
                  {
                    head: 'Devices',
                    headClass: 'num',
                    className: 'num',
                    cell: (o) => count(o.assessment?.devices),
                  },
                ]}
              />
            )}
          </ResourceView>
        </Card>
        <Card title="How the score is computed" titleId="score-method-title">
          <CardBody>
            <p className="small">
              Each office scores three parts on Microsoft's published bands, linear between the points, and
              its score is the mean of the parts that have data (a part without data is named, never guessed).
            </p>
            <dl className="kv">
              <dt>Latency to the front door (median, idle)</dt>
              <dd>
                <BandLine band={LATENCY_BAND} unit="ms" />
              </dd>
              <dt>Download speed (25th percentile)</dt>
              <dd>
                <BandLine band={DOWNLOAD_BAND} unit="MB/s" />
              </dd>
              <dt>Teams media (E-model MOS from the median RTT, jitter and loss)</dt>
              <dd>
                <BandLine band={MOS_BAND} unit="MOS" />
                <div className="small muted">
                  The MOS points are the edges of the ITU-T G.109 satisfaction categories (R 50 to 90); a run
                  with no UDP answer counts as total loss.
                </div>
              </dd>
            </dl>
          </CardBody>
        </Card>
        <AssessmentSettingsCard onSaved={tenant.reload} />
      </div>
    </>
  );
}
