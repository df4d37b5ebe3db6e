/**
 * @module components/notice
 * A one-message banner: confirmation (ok), a caveat (info, warn) or a
 * problem found before anything was sent (error). Errors the server
 * answered go through `ErrorNotice`, which adds the catalog code.
 */
import type { CSSProperties, ReactNode } from 'react';

export function Notice({
  tone,
  role,
  testId,
  style,
  children,
}: {
  tone: 'ok' | 'info' | 'warn' | 'error';
  /** `status` for confirmations read out politely, `alert` for problems. */
  role?: 'status' | 'alert';
  testId?: string;
  style?: CSSProperties;
  children: ReactNode;
}) {
  return (
    <div className={`notice ${tone}`} role={role} style={style} data-testid={testId}>
      <div>{children}</div>
    </div>
  );
}
