/**
 * @module components/kv-pair
 * One term and its value in a `dl.kv` list, for the entries a list shows
 * only when there is something to say.
 */
import type { ReactNode } from 'react';

export function KvPair({
  term,
  className,
  children,
}: {
  term: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <>
      <dt>{term}</dt>
      <dd className={className}>{children}</dd>
    </>
  );
}
