/**
 * Every problem the XML layer finds is data, not an exception: an `XmlIssue` with a stable code
 * from the hub's catalogue (`src/shared/errors.ts`) and, when known, where it is.
 */
import type { ErrorCode } from '../shared/errors.js';

export interface XmlIssue {
  readonly code: ErrorCode;
  /** 1-based line in the document that was given, or null when no line applies (empty input, size). */
  readonly line: number | null;
  /**
   * 1-based column, or null when unknown. libxml2 reports schema-validation errors with column 0,
   * which means "unknown": we report null rather than inventing a column.
   */
  readonly column: number | null;
  /** What is wrong, in words, without the location (see `formatIssue`). */
  readonly message: string;
}

export function xmlIssue(code: ErrorCode, message: string, line: number | null = null, column: number | null = null): XmlIssue {
  return { code, line, column, message };
}

/** "line 12, column 7: " / "line 12: " / "" — the location prefix used in human messages. */
export function formatLocation(line: number | null, column: number | null): string {
  if (line === null) return '';
  return column === null ? `line ${line}: ` : `line ${line}, column ${column}: `;
}

/** "line 12, column 7: Opening and ending tag mismatch: b line 2 and a" */
export function formatIssue(issue: XmlIssue): string {
  return formatLocation(issue.line, issue.column) + issue.message;
}
