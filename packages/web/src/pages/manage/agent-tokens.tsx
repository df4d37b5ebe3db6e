/**
 * @module pages/manage/agent-tokens
 * Agent tokens let a probe submit reports and nothing else. A new token is
 * shown once, with the exact probe command line to paste on the machine
 * that will run it; afterwards only its name and use are listed. Below the
 * tokens: the agents by version, enrollment secrets for a fleet, and the
 * schedule and profile every agent takes from the collector.
 */
import type { List, OfficeSummary } from '../../api/types.ts';
import { CopyButton } from '../../components/copy-button.tsx';
import { SecretNotice } from '../../components/secret-notice.tsx';
import { useApi } from '../../lib/use-api.ts';
import { AgentHostsCard } from './agent-hosts-card.tsx';
import { AgentPolicyCard } from './agent-policy-card.tsx';
import { EnrollmentCard } from './enrollment-card.tsx';
import { FleetCard } from './fleet-card.tsx';
import { TokensPage } from './tokens-page.tsx';

export function probeCommand(token: string, origin = window.location.origin): string {
  return `netinsights probe --collector ${origin} --token ${token}`;
}

export function ManageAgentTokens() {
  const offices = useApi<List<OfficeSummary>>('/offices');
  const officeName = (id: string | null | undefined) =>
    id ? (offices.data?.items.find((o) => o.id === id)?.name ?? id) : 'Any (mapped by network)';
  return (
    <TokensPage
      kind={{
        id: 'agent',
        path: '/agent-tokens',
        title: 'Agent tokens',
        sub: 'A probe needs an agent token to send its reports. An agent token can do nothing else.',
        namePlaceholder: 'e.g. Berlin office box',
        nameRequired: true,
        choice: {
          id: 'agent-office',
          label: 'Office',
          initial: '',
          options: [
            { value: '', label: 'Any (map by network)' },
            ...(offices.data?.items.map((o) => ({ value: o.id, label: o.name })) ?? []),
          ],
        },
        body: (name, officeId) => ({ name, ...(officeId ? { officeId } : {}) }),
        column: { title: 'Office', cell: (t) => officeName(t.officeId) },
        listTitle: 'Tokens',
        emptyTitle: 'No agent tokens yet',
        revokeWarning: 'Probes using it can no longer send reports.',
        forgetRevoked: true,
        created: (t, done) => (
          <SecretNotice
            title={`Token “${t.name}” created. Copy it now: it will not be shown again.`}
            testId="new-token"
            copy={
              <>
                <CopyButton text={probeCommand(t.token)} label="Copy command" />
                <CopyButton text={t.token} label="Copy token only" />
              </>
            }
            onDone={done}
          >
            <p className="small">Run this on the machine that will probe:</p>
            <code className="secret" data-testid="probe-command">
              {probeCommand(t.token)}
            </code>
          </SecretNotice>
        ),
      }}
      after={
        <>
          <FleetCard />
          <EnrollmentCard offices={offices.data?.items ?? []} />
          <AgentPolicyCard />
          <AgentHostsCard />
        </>
      }
    />
  );
}
