/**
 * @module pages/manage/tokens-page
 * One page for both kinds of token (agent tokens for probes, API tokens for
 * scripts): a form to create one (a name and one choice: the office, or the
 * access), the new token shown once with how to use it, and the list with
 * last use and revoke. A `TokenKind` says what differs between the two.
 */
import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../../api/client.ts';
import type { CreatedToken, List, TokenRecord } from '../../api/types.ts';
import { Card, CardBody } from '../../components/card.tsx';
import { InputField, type Option, SelectField } from '../../components/fields.tsx';
import { PageHead } from '../../components/page-head.tsx';
import { ResourceView } from '../../components/resource-view.tsx';
import { Empty, ErrorNotice } from '../../components/states.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCanEdit } from '../../session.tsx';
import { TokenTable } from './token-table.tsx';

/** What one kind of token page says and sends. */
export interface TokenKind {
  /** Prefix of the element ids (`<id>-name`, `new-<id>-title`, `<id>-list-title`). */
  id: string;
  /** The collection, e.g. `/agent-tokens`. */
  path: string;
  title: string;
  sub: string;
  namePlaceholder: string;
  /** Whether the name field is marked required (the button needs a name either way). */
  nameRequired?: boolean;
  /** The one choice beside the name. */
  choice: { id: string; label: string; initial: string; options: Option[] };
  /** The creation request's body. */
  body: (name: string, choice: string) => unknown;
  /** The list's column for the choice. */
  column: { title: string; cell: (t: TokenRecord) => string };
  /** The list card's heading, if it has one. */
  listTitle?: string;
  emptyTitle: string;
  /** The confirmation's second sentence: what stops working. */
  revokeWarning: string;
  /** Revoking the token still shown also hides it. */
  forgetRevoked?: boolean;
  /** The one-time notice for a new token; `done` closes it. */
  created: (token: CreatedToken, done: () => void) => ReactNode;
}

export function TokensPage({ kind, after }: { kind: TokenKind; after?: ReactNode }) {
  const canEdit = useCanEdit();
  const list = useApi<List<TokenRecord>>(kind.path);
  const [name, setName] = useState('');
  const [choice, setChoice] = useState(kind.choice.initial);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const action = useAction();

  async function create(e: FormEvent) {
    e.preventDefault();
    await action.submit(async () => {
      setCreated(
        await api<CreatedToken>(kind.path, { method: 'POST', body: kind.body(name.trim(), choice) }),
      );
      setName('');
      list.reload();
    });
  }

  async function revoke(t: TokenRecord) {
    if (!window.confirm(`Revoke “${t.name}”? ${kind.revokeWarning}`)) return;
    await action.run(async () => {
      await api(`${kind.path}/${encodeURIComponent(t.id)}`, { method: 'DELETE' });
      if (kind.forgetRevoked && created?.id === t.id) setCreated(null);
      list.reload();
    });
  }

  return (
    <>
      <PageHead title={kind.title} sub={kind.sub} />
      <div className="stack">
        {canEdit && (
          <Card title="Create a token" titleId={`new-${kind.id}-title`}>
            <CardBody>
              <form className="filters" onSubmit={create}>
                <InputField
                  id={`${kind.id}-name`}
                  label="Name"
                  style={{ flex: 1 }}
                  value={name}
                  onChange={setName}
                  placeholder={kind.namePlaceholder}
                  required={kind.nameRequired}
                />
                <SelectField {...kind.choice} value={choice} onChange={setChoice} />
                <button type="submit" className="primary" disabled={action.busy || !name.trim()}>
                  {action.busy ? 'Creating…' : 'Create token'}
                </button>
              </form>
              {created && kind.created(created, () => setCreated(null))}
            </CardBody>
          </Card>
        )}
        {action.error && <ErrorNotice error={action.error} />}
        <Card title={kind.listTitle} titleId={`${kind.id}-list-title`}>
          <ResourceView resource={list} empty={<Empty title={kind.emptyTitle} />}>
            {(data) => <TokenTable items={data.items} extra={kind.column} onRevoke={(t) => void revoke(t)} />}
          </ResourceView>
        </Card>
        {after}
      </div>
    </>
  );
}
