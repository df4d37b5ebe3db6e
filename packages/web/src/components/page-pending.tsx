/**
 * @module components/page-pending
 * A page whose main resource has not arrived: its head, then the spinner or
 * the error with a retry. A resource of another tenant (or one deleted)
 * answers 404; such a page says "<title> not found" and shows `notFound`
 * instead, never a generic error.
 */
import type { ReactNode } from 'react';
import { isMissing } from '../lib/not-found.ts';
import { Notice } from './notice.tsx';
import { PageHead } from './page-head.tsx';
import { ErrorNotice, Loading } from './states.tsx';

export function PagePending({
  title,
  crumbs,
  error,
  retry,
  loadingLabel,
  notFound,
}: {
  title: string;
  crumbs?: { label: string; to: string }[];
  error: Error | undefined;
  retry: () => void;
  loadingLabel?: string;
  /** What a 404 shows (a sentence becomes a warning); without it a 404 is an error like any other. */
  notFound?: ReactNode;
}) {
  const missing = notFound !== undefined && isMissing(error);
  return (
    <>
      <PageHead title={missing ? `${title} not found` : title} crumbs={crumbs} />
      {missing ? (
        typeof notFound === 'string' ? (
          <Notice tone="warn" role="alert">
            {notFound}
          </Notice>
        ) : (
          notFound
        )
      ) : error ? (
        <ErrorNotice error={error} retry={retry} />
      ) : (
        <Loading label={loadingLabel} />
      )}
    </>
  );
}
