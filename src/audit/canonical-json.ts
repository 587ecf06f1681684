/**
 * Canonical JSON (RFC 8785, JSON Canonicalization Scheme): the byte-exact form that audit hashes
 * and checkpoint signatures are computed over, so a regulator can recompute them from an export
 * with any JCS implementation (audit log requirement: "each entry commits to the previous
 * entry's hash"; docs/audit.md gives the hash input).
 *
 * - object members sorted by their names' UTF-16 code units (JavaScript's default sort order),
 * - no whitespace,
 * - strings escaped as ECMAScript JSON.stringify does (`"`, `\`, and U+0000–U+001F only; short
 *   forms \b \t \n \f \r, otherwise \u00xx in lower case); everything else is literal UTF-8,
 * - numbers in ECMAScript Number-to-String form (shortest round-trip; -0 → 0; 1e21 → 1e+21).
 *
 * Only JSON data is accepted: null, booleans, finite numbers, strings with well-formed UTF-16
 * (a lone surrogate has no UTF-8 form), arrays and plain objects. Everything else (NaN,
 * Infinity, bigint, Date, Map, functions, undefined array elements) throws a TypeError, so a
 * value that cannot round-trip through the database never gets a hash. Object members whose
 * value is `undefined` are left out, as JSON.stringify does (optional fields).
 */

const LONE_SURROGATE = /\p{Surrogate}/u;

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function str(s: string, path: string): string {
  // With the u flag, a surrogate pair is one code point (not matched); only lone halves match.
  if (LONE_SURROGATE.test(s)) throw new TypeError(`canonical JSON: ${path} contains a lone UTF-16 surrogate (not representable in UTF-8)`);
  return JSON.stringify(s);
}

function write(v: unknown, path: string, out: string[]): void {
  switch (typeof v) {
    case 'string':
      out.push(str(v, path));
      return;
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError(`canonical JSON: ${path} is ${v}, which JSON cannot represent`);
      out.push(JSON.stringify(v)); // ECMAScript Number::toString, as RFC 8785 §3.2.2.3 requires; -0 → "0"
      return;
    case 'object': {
      if (v === null) {
        out.push('null');
        return;
      }
      if (Array.isArray(v)) {
        out.push('[');
        v.forEach((item: unknown, i) => {
          if (i > 0) out.push(',');
          if (item === undefined) throw new TypeError(`canonical JSON: ${path}[${i}] is undefined`);
          write(item, `${path}[${i}]`, out);
        });
        out.push(']');
        return;
      }
      if (!isPlainObject(v))
        throw new TypeError(`canonical JSON: ${path} is a ${v.constructor?.name ?? 'non-plain object'}, not a plain object`);
      const record = v as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      out.push('{');
      keys.forEach((k, i) => {
        if (i > 0) out.push(',');
        out.push(str(k, `${path} key ${JSON.stringify(k)}`), ':');
        write(record[k], `${path}.${k}`, out);
      });
      out.push('}');
      return;
    }
    default:
      throw new TypeError(`canonical JSON: ${path} is of type ${typeof v}, which JSON cannot represent`);
  }
}

/**
 * The same serialisation without the bookkeeping of paths (the hot path: every audit entry is
 * hashed once when sealed and again when verified). Returns undefined where `write` would throw.
 */
function fast(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return LONE_SURROGATE.test(v) ? undefined : JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : undefined;
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) {
          const item = fast(v[i]);
          if (item === undefined) return undefined;
          s += i > 0 ? `,${item}` : item;
        }
        return `${s}]`;
      }
      if (!isPlainObject(v)) return undefined;
      const record = v as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let s = '{';
      let first = true;
      for (const k of keys) {
        const value = record[k];
        if (value === undefined) continue;
        const key = fast(k);
        const item = fast(value);
        if (key === undefined || item === undefined) return undefined;
        s += `${first ? '' : ','}${key}:${item}`;
        first = false;
      }
      return `${s}}`;
    }
    default:
      return undefined;
  }
}

/** The RFC 8785 canonical serialisation of a JSON value (as a string; hash its UTF-8 bytes). */
export function canonicalJson(value: unknown): string {
  const quick = fast(value);
  if (quick !== undefined) return quick;
  // not plain JSON: the careful writer names the first offending place in its TypeError
  const out: string[] = [];
  write(value, '$', out);
  return out.join('');
}
