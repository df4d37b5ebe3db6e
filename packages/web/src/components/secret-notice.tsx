/**
 * @module components/secret-notice
 * The one time a secret (a new token, a webhook's signing secret) is on
 * screen: what was created, how to use it, copy buttons, and "Done" to put
 * it away. The server keeps only a hash, so it cannot be shown again.
 */
import type { ReactNode } from 'react';

export function SecretNotice({
  title,
  testId,
  children,
  copy,
  onDone,
}: {
  title: ReactNode;
  testId?: string;
  /** The secret and how to use it. */
  children?: ReactNode;
  /** The copy buttons, before "Done". */
  copy?: ReactNode;
  onDone: () => void;
}) {
  return (
    <div className="notice ok" role="status" data-testid={testId}>
      <div style={{ flex: 1, minWidth: 0 }}>
        <strong>{title}</strong>
        {children}
        <div className="row" style={{ marginTop: 8 }}>
          {copy}
          <button type="button" className="small ghost" onClick={onDone}>
            Done
          </button>
        </div>
      </div>
    </div>
  );
}
