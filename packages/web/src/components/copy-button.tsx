/**
 * @module components/copy-button
 * Copies a text to the clipboard and says so.
 */
import { useState } from 'react';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="small"
      onClick={() => {
        navigator.clipboard
          ?.writeText(text)
          .then(() => setState('done'))
          .catch(() => setState('failed'));
        setTimeout(() => setState('idle'), 2500);
      }}
    >
      {state === 'done' ? 'Copied' : state === 'failed' ? 'Select and copy by hand' : label}
    </button>
  );
}
