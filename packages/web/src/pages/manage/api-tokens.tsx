/**
 * @module pages/manage/api-tokens
 * API tokens for scripts and integrations: read-only or read-write, shown
 * once when created, revocable.
 */
import { CopyButton } from '../../components/copy-button.tsx';
import { SecretNotice } from '../../components/secret-notice.tsx';
import { TokensPage } from './tokens-page.tsx';

export function ManageApiTokens() {
  return (
    <TokensPage
      kind={{
        id: 'api',
        path: '/api-tokens',
        title: 'API tokens',
        sub: "For scripts and integrations that read (or change) this organisation's data.",
        namePlaceholder: 'e.g. SIEM export',
        choice: {
          id: 'api-scope',
          label: 'Access',
          initial: 'read',
          options: [
            { value: 'read', label: 'Read only' },
            { value: 'read-write', label: 'Read and write' },
          ],
        },
        body: (name, scope) => ({ name, scope }),
        column: { title: 'Access', cell: (t) => (t.scope === 'read-write' ? 'Read and write' : 'Read only') },
        emptyTitle: 'No API tokens yet',
        revokeWarning: 'Anything using it loses access immediately.',
        created: (t, done) => (
          <SecretNotice
            title={`Token “${t.name}” created. Copy it now: it will not be shown again.`}
            copy={<CopyButton text={t.token} label="Copy token" />}
            onDone={done}
          >
            <code className="secret">{t.token}</code>
            <p className="small">For example:</p>
            <code className="secret">
              {`curl -H "Authorization: Bearer ${t.token}" ${window.location.origin}/api/v1/insights?status=active`}
            </code>
          </SecretNotice>
        ),
      }}
    />
  );
}
