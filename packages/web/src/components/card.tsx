/**
 * @module components/card
 * The white panel every page is built from: an optional head (an `h2` that
 * names the section for screen readers, and whatever sits beside it) above
 * the card's content. `CardBody` is the padded inner block.
 */
import type { CSSProperties, ReactNode } from 'react';

/** A section card; with a `title` it gets a head and is labelled by it. */
export interface CardProps {
  /** The heading; the section is `aria-labelledby` it. */
  title?: ReactNode;
  /** The heading's element id (required with `title`, as tests and labels point at it). */
  titleId?: string;
  /** What stands beside the heading in the head: a link, a filter, a hint. */
  aside?: ReactNode;
  testId?: string;
  children?: ReactNode;
}

export function Card({ title, titleId, aside, testId, children }: CardProps) {
  return (
    <section className="card" aria-labelledby={title ? titleId : undefined} data-testid={testId}>
      {title && (
        <div className="card-head">
          <h2 id={titleId}>{title}</h2>
          {aside}
        </div>
      )}
      {children}
    </section>
  );
}

export function CardBody({
  className,
  style,
  children,
}: {
  className?: string;
  style?: CSSProperties;
  children?: ReactNode;
}) {
  return (
    <div className={className ? `card-body ${className}` : 'card-body'} style={style}>
      {children}
    </div>
  );
}
