/**
 * @module components/badges
 * Coloured pills for severity, insight status and office health. Colour is
 * never the only signal: every badge carries its word.
 */
import type { Severity } from '../api/types.ts';
import { kindLabel } from '../lib/insight-kinds.ts';

export function SeverityBadge({ severity }: { severity: Severity }) {
  const word = severity === 'high' ? 'High' : severity === 'medium' ? 'Medium' : 'Low';
  return <span className={`badge ${severity}`}>{word}</span>;
}

export function StatusBadge({ status }: { status: 'active' | 'resolved' }) {
  return (
    <span className={`badge ${status === 'active' ? 'high' : 'ok'}`}>
      {status === 'active' ? 'Active' : 'Resolved'}
    </span>
  );
}

export function KindBadge({ kind, severity }: { kind: string; severity: Severity }) {
  return (
    <span className={`badge ${severity}`} title={`${severity} severity`}>
      {kindLabel(kind)}
    </span>
  );
}

/** Office health: the worst active severity, "Healthy", or "No data" when nothing arrived in 24 h. */
export function HealthBadge({ worst, hasData }: { worst: Severity | null; hasData: boolean }) {
  if (worst) return <SeverityBadge severity={worst} />;
  if (!hasData) return <span className="badge idle">No data</span>;
  return <span className="badge ok">Healthy</span>;
}
