/**
 * Line and column of a character offset, counted the way XML parsers do: after end-of-line
 * normalisation (XML 1.0 §2.11), so CR LF and a lone CR each end one line. Both are 1-based.
 * Only used on error paths, so a linear scan is fine.
 */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    } else if (c === 0x0d) {
      if (text.charCodeAt(i + 1) !== 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
  }
  return { line, column: end - lineStart + 1 };
}
