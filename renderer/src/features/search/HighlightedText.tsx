import { splitHighlights } from './highlight';

/** Text with its [start, end) ranges in <mark>; the text is rendered as text, never as HTML. */
export function HighlightedText({ text, ranges }: { text: string; ranges: readonly (readonly [number, number])[] }) {
  return (
    <>
      {splitHighlights(text, ranges).map((part, i) =>
        part.marked ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </>
  );
}
