// A tiny, dependency-free XML reader for the build tools in tools/ (schemas only, never untrusted
// input at run time: the hub itself parses XML with libxml2 in src/xml).
// It handles what XSD files contain: the XML declaration, comments, CDATA, elements, attributes
// and the five predefined entities plus character references. DOCTYPEs are refused.

/**
 * @typedef {{ name: string, attrs: Record<string, string>, children: XmlElement[], text: string,
 *             ns: Record<string, string>, parent: XmlElement | null }} XmlElement
 */

const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!([A-Za-z][\s\S]*?)>|<\/([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
const ATTR = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Decodes the predefined entities and character references. */
export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e];
  });
}

/** Escapes text for use in element content or a double-quoted attribute. */
export function escapeXml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Parses a document and returns its root element. Throws on mismatched tags or a DOCTYPE. */
export function parseXml(source) {
  /** @type {XmlElement} */
  const doc = { name: '#document', attrs: {}, children: [], text: '', ns: { xml: 'http://www.w3.org/XML/1998/namespace' }, parent: null };
  let cur = doc;
  for (const m of source.matchAll(TOKEN)) {
    const [, cdata, decl, close, open, attrText, selfClose, text] = m;
    if (decl !== undefined) throw new Error(`mini-xml: declarations (<!${decl.slice(0, 7)}…>) are not supported`);
    if (cdata !== undefined) cur.text += cdata;
    else if (text !== undefined) cur.text += decodeEntities(text);
    else if (close !== undefined) {
      if (close !== cur.name) throw new Error(`mini-xml: </${close}> closes <${cur.name}>`);
      cur = cur.parent;
    } else if (open !== undefined) {
      const attrs = {};
      for (const a of attrText.matchAll(ATTR)) attrs[a[1]] = decodeEntities(a[2] ?? a[3]);
      const ns = { ...cur.ns };
      for (const [k, v] of Object.entries(attrs)) {
        if (k === 'xmlns') ns[''] = v;
        else if (k.startsWith('xmlns:')) ns[k.slice(6)] = v;
      }
      const el = { name: open, attrs, children: [], text: '', ns, parent: cur };
      cur.children.push(el);
      if (!selfClose) cur = el;
    }
  }
  if (cur !== doc) throw new Error(`mini-xml: <${cur.name}> is not closed`);
  const roots = doc.children;
  if (roots.length !== 1) throw new Error('mini-xml: a document needs exactly one root element');
  return roots[0];
}

/** Local part of a prefixed name. */
export const localName = (qname) => qname.slice(qname.indexOf(':') + 1);

/** Resolves a QName value (e.g. a type="ecl:RoleTypeList") against the element's in-scope namespaces. */
export function resolveQName(el, qname) {
  const i = qname.indexOf(':');
  const prefix = i < 0 ? '' : qname.slice(0, i);
  return { ns: el.ns[prefix] ?? '', local: qname.slice(i + 1) };
}

/** Child elements with the given local name (any prefix). */
export const childrenNamed = (el, local) => el.children.filter((c) => localName(c.name) === local);
