/**
 * A small, strict XML reader for the service definitions the tests check
 * (a launchd plist, a Task Scheduler task): elements, attributes and text,
 * the five predefined entities; a mismatched or unclosed tag throws. Enough
 * to check structure without plutil or Windows.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function decode(text: string): string {
  return text.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] as string,
  );
}

export function parseXml(source: string): XmlElement {
  const body = source.replace(/^\uFEFF?<\?xml[^?]*\?>/, '').replace(/<!DOCTYPE[^>]*>/, '');
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const re = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const top = stack[stack.length - 1] as XmlElement;
    if (m[6]) throw new Error(`stray "<" at ${m.index}`);
    if (m[5] !== undefined) {
      if (stack.length === 1 && m[5].trim()) throw new Error(`text outside the root element at ${m.index}`);
      top.text += decode(m[5]);
      continue;
    }
    const [, closing, name = '', attrText = '', selfClosing] = m;
    if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}> at ${m.index}`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w:.-]+)="([^"]*)"/g))
      attrs[a[1] as string] = decode(a[2] as string);
    const el: XmlElement = { name, attrs, children: [], text: '' };
    top.children.push(el);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]?.name}> is never closed`);
  if (root.children.length !== 1) throw new Error('an XML document has exactly one root element');
  return root.children[0] as XmlElement;
}

/** The first descendant reached by the path of element names. */
export function child(el: XmlElement, ...path: string[]): XmlElement | undefined {
  let at: XmlElement | undefined = el;
  for (const name of path) at = at?.children.find((c) => c.name === name);
  return at;
}

/** A plist <dict> as key → value element. */
export function plistDict(dict: XmlElement): Map<string, XmlElement> {
  const out = new Map<string, XmlElement>();
  for (let i = 0; i < dict.children.length; i += 2) {
    const key = dict.children[i];
    const value = dict.children[i + 1];
    if (key?.name !== 'key' || !value) throw new Error(`plist dict entry ${i / 2} is not <key> then a value`);
    out.set(key.text, value);
  }
  return out;
}
