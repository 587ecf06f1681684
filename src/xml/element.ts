/**
 * The read model: a small immutable element tree. It is plain JavaScript data (no handle into
 * libxml2), so it can be kept, passed around and dropped without any dispose discipline.
 * Comments and processing instructions are not represented; IEC 62325 and UFTP documents
 * carry no mixed content, so an element's character data is one string.
 */

export interface XmlElement {
  /** Local name, e.g. 'GL_MarketDocument'. */
  readonly name: string;
  /** Namespace URI, '' when the element is in no namespace (UFTP). */
  readonly ns: string;
  /**
   * Attributes by local name when unqualified (the usual case: `codingScheme`, `SenderDomain`),
   * by Clark name `{uri}local` when in a namespace. Namespace declarations are not attributes.
   * The object has no prototype, so `__proto__` and friends are ordinary keys.
   */
  readonly attrs: Readonly<Record<string, string>>;
  /** Child elements in document order. */
  readonly children: readonly XmlElement[];
  /** The element's own character data (text and CDATA, not its descendants'), entities decoded. */
  readonly text: string;
  /**
   * 1-based line on which the start tag ends (its `>`), which is how libxml2 numbers elements,
   * so it is the line schema-validation errors report for this element.
   */
  readonly line: number;
}

/** First child element with this local name (and namespace, default: the parent's). */
export function child(el: XmlElement, name: string, ns: string = el.ns): XmlElement | undefined {
  for (const c of el.children) if (c.name === name && c.ns === ns) return c;
  return undefined;
}

/** All child elements with this local name (and namespace, default: the parent's), in order. */
export function children(el: XmlElement, name: string, ns: string = el.ns): XmlElement[] {
  return el.children.filter((c) => c.name === name && c.ns === ns);
}

/** Trimmed text of the first child with this name, or undefined when there is no such child. */
export function childText(el: XmlElement, name: string, ns: string = el.ns): string | undefined {
  const c = child(el, name, ns);
  return c === undefined ? undefined : c.text.trim();
}

/** An attribute value by local name (unqualified) or by `ns` + local name. */
export function attr(el: XmlElement, name: string, ns?: string): string | undefined {
  return el.attrs[ns === undefined || ns === '' ? name : `{${ns}}${name}`];
}

/** Follows a path of child names from `el` (each in the parent's namespace). */
export function path(el: XmlElement, ...names: string[]): XmlElement | undefined {
  let cur: XmlElement | undefined = el;
  for (const n of names) {
    if (cur === undefined) return undefined;
    cur = child(cur, n);
  }
  return cur;
}
