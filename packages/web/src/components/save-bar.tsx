/**
 * @module components/save-bar
 * The foot of a settings form: why the last save failed, or that it
 * succeeded (until the next edit), then "Save" (busy while it is on its
 * way) and "Discard changes".
 */
import type { Action } from '../lib/use-action.ts';
import { useCanEdit } from '../session.tsx';
import { Notice } from './notice.tsx';
import { ErrorNotice } from './states.tsx';

export function SaveBar({
  action,
  label,
  savedText,
  blocked = false,
  onDiscard,
}: {
  action: Action;
  /** The save button's words, e.g. "Save thresholds". */
  label: string;
  savedText: string;
  /** The draft cannot be sent as it is. */
  blocked?: boolean;
  onDiscard: () => void;
}) {
  if (!useCanEdit()) return null;
  return (
    <>
      {action.error && <ErrorNotice error={action.error} title="Not saved" />}
      {action.saved && (
        <Notice tone="ok" role="status">
          {savedText}
        </Notice>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={action.busy || blocked}>
          {action.busy ? 'Saving…' : label}
        </button>
        <button type="button" onClick={onDiscard}>
          Discard changes
        </button>
      </div>
    </>
  );
}
