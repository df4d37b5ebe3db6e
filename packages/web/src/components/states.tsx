/**
 * @module components/states
 * The loading, error and empty states every view shows while it waits,
 * when the server refused, or when there is simply nothing yet.
 */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** Says what went wrong in words, with the catalog code for support, and offers a retry. */
export function ErrorNotice({ error, retry, title }: { error: unknown; retry?: () => void; title?: string }) {
  const e = error as Error;
  const api = error instanceof ApiError ? error : null;
  const heading =
    title ??
    (api?.status === 404
      ? 'Not found'
      : api?.status === 403
        ? 'Not allowed'
        : api?.status === 0
          ? 'Cannot reach the server'
          : 'Something went wrong');
  return (
    <div className="notice error" role="alert">
      <div style={{ flex: 1 }}>
        <strong>{heading}</strong>
        <span>{e?.message ?? String(error)}</span>
        {api && api.status > 0 && (
          <div className="small muted">
            {api.code} · HTTP {api.status}
          </div>
        )}
      </div>
      {retry && (
        <button type="button" className="small" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children}
    </div>
  );
}
