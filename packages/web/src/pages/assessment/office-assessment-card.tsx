/**
 * @module pages/assessment/office-assessment-card
 * An office's network assessment on its page: the score, each component
 * with the figure it came from (and which have no data), where the office
 * stands in its area, and the last 30 days.
 */
import { ASSESSMENT_COMPONENTS } from '@netinsights/protocol/assessment.ts';
import type { AssessmentAnswer } from '../../api/types.ts';
import { Card, CardBody } from '../../components/card.tsx';
import { ResourceView } from '../../components/resource-view.tsx';
import { ScoreBadge } from '../../components/score-badge.tsx';
import { useApi } from '../../lib/use-api.ts';
import { Link } from '../../router.tsx';
import { areaText, COMPONENT_LABEL, componentFigure, MISSING_TEXT } from './assessment-words.ts';
import { ScoreChart } from './score-chart.tsx';

const DAYS = 30;

export function OfficeAssessmentCard({ id }: { id: string }) {
  const resource = useApi<AssessmentAnswer>(`/assessment?office=${encodeURIComponent(id)}&days=${DAYS}`, {
    refreshMs: 60_000,
  });
  return (
    <Card
      title="Network assessment"
      titleId="assessment-title"
      testId="office-assessment"
      aside={<Link to="/assessment">How the score works →</Link>}
    >
      <CardBody>
        <ResourceView resource={resource} errorAs="plain" loadingLabel="Loading the assessment…">
          {(data) => {
            const a = data.office?.assessment ?? null;
            return (
              <div className="grid grid-2">
                <div>
                  <div className="assessment-head">
                    <span className="assessment-score" data-testid="office-score">
                      {a?.score ?? '—'}
                    </span>
                    <div>
                      <ScoreBadge score={a?.score} />
                      <div className="small muted">
                        {a ? `last ${a.window.days} days · ${a.devices} devices` : 'not scored yet'}
                      </div>
                    </div>
                  </div>
                  <table className="assessment-parts">
                    <tbody>
                      {ASSESSMENT_COMPONENTS.map((name) => {
                        const c = a?.components[name];
                        return (
                          <tr key={name} data-testid={`component-${name}`}>
                            <th scope="row">{COMPONENT_LABEL[name]}</th>
                            <td className="small">
                              {c ? (
                                componentFigure(name, c)
                              ) : (
                                <span className="muted">{MISSING_TEXT[name]}</span>
                              )}
                            </td>
                            <td className="num">
                              {c ? (
                                <ScoreBadge score={c.score} />
                              ) : (
                                <span className="badge idle">missing</span>
                              )}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                  <p className="small muted" data-testid="office-area">
                    {a?.area
                      ? `${areaText(a.area)}.`
                      : 'Too few offices of other organisations in this city or country to compare with (at least 5 from 3 organisations).'}
                  </p>
                </div>
                <div>
                  <div className="chart-title">
                    <h3>Last {DAYS} days</h3>
                    <span className="small muted">dashed: components</span>
                  </div>
                  <ScoreChart history={data.history} days={DAYS} components />
                </div>
              </div>
            );
          }}
        </ResourceView>
      </CardBody>
    </Card>
  );
}
