/**
 * @module components/rich-text
 * Server-written insight texts mark commands and names with `backticks`;
 * this shows those parts as code and everything else as plain text (never
 * as HTML).
 */
export function RichText({ text }: { text: string }) {
  const parts = text.split('`');
  return (
    <>
      {parts.map((part, i) =>
        // Odd parts sat between backticks. Index keys are stable: the text is split the same way every render.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        i % 2 === 1 ? <code key={i}>{part}</code> : <span key={i}>{part}</span>,
      )}
    </>
  );
}
