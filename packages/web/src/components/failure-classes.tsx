/**
 * @module components/failure-classes
 * An insight's failure classes grouped by layer (`proxy/forbidden` under
 * "Proxy"), each with what it means, its count and its share of all failures.
 */
import { describeCode, layerLabel } from '../lib/failure-codes.ts';
import { count, percent } from '../lib/format.ts';

export function FailureClasses({ classes }: { classes: { code: string; count: number }[] }) {
  const byLayer = new Map<string, { code: string; count: number }[]>();
  for (const fc of classes) {
    const layer = fc.code.split('/')[0] ?? '';
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), fc]);
  }
  if (byLayer.size === 0) return null;
  const total = classes.reduce((a, b) => a + b.count, 0);
  return (
    <section>
      <h4>Failure classes by layer</h4>
      {[...byLayer.entries()].map(([layer, items]) => (
        <div key={layer} className="fc-layer">
          <div className="fc-layer-name">{layerLabel(layer)}</div>
          {items.map((fc) => (
            <div key={fc.code} className="fc-row">
              <div>
                <code>{fc.code}</code>
                <div className="small muted">{describeCode(fc.code)}</div>
              </div>
              <div className="num nowrap">
                <strong>{count(fc.count)}</strong>
                <div className="small muted">{percent(total ? fc.count / total : 0)}</div>
              </div>
            </div>
          ))}
        </div>
      ))}
    </section>
  );
}
