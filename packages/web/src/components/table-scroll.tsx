/**
 * @module components/table-scroll
 * The scrolling box around a wide table. When the table is wider than the
 * box, the edge with more columns behind it gets a shadow and a line under
 * the table says "Scroll sideways for more columns", so the columns past the
 * edge are not just cut off; the box can then be focused and scrolled with
 * the arrow keys. Narrow screens (≤ 700 px) show `DataTable`s as cards
 * instead (styles/app.css, "tables as cards").
 */
import { type ReactNode, useEffect, useRef, useState } from 'react';

interface Overflow {
  left: boolean;
  right: boolean;
}

export function TableScroll({ children, label }: { children: ReactNode; label?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [overflow, setOverflow] = useState<Overflow>({ left: false, right: false });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => {
      // One pixel of slack: sub-pixel widths round differently in scrollWidth and clientWidth.
      const left = el.scrollLeft > 1;
      const right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      setOverflow((o) => (o.left === left && o.right === right ? o : { left, right }));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    if (el.firstElementChild) ro.observe(el.firstElementChild);
    el.addEventListener('scroll', measure, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', measure);
    };
  }, []);

  const scrolls = overflow.left || overflow.right;
  // A box that scrolls must be reachable by keyboard (WCAG 2.1.1), as a named region; one that does not
  // stays out of the tab order and the landmarks.
  const focusable = scrolls
    ? { tabIndex: 0, role: 'region', 'aria-label': `${label ?? 'Table'}, scrolls sideways` }
    : {};
  return (
    <div className="table-scroll" data-overflow-left={overflow.left} data-overflow-right={overflow.right}>
      <div ref={box} className="table-wrap" {...focusable}>
        {children}
      </div>
      {scrolls && (
        <div className="scroll-hint small muted" aria-hidden="true">
          {overflow.left && !overflow.right
            ? '← Scroll back for the first columns'
            : 'Scroll sideways for more columns →'}
        </div>
      )}
    </div>
  );
}
