/** Writing the ESMP structures shared by several documents (IEC 62325-351), in schema order. */
import { XmlWriter } from '../../xml/index.js';
import type { CodedId, Participant, Period, Reason } from '../model.js';
import type { TimeInterval } from '../time.js';

export function newWriter(indent: number | undefined): XmlWriter {
  return new XmlWriter({ indent: indent ?? 2 });
}

/** `<name codingScheme="…">mRID</name>` */
export function codedId(w: XmlWriter, name: string, id: CodedId): void {
  w.element(name, id.mRID, { codingScheme: id.codingScheme });
}

export function optionalCodedId(w: XmlWriter, name: string, id: CodedId | undefined): void {
  if (id !== undefined) codedId(w, name, id);
}

/** sender_/receiver_MarketParticipant.mRID and .marketRole.type (the role only when given). */
export function participant(
  w: XmlWriter,
  prefix: 'sender' | 'receiver',
  p: Omit<Participant, 'role'> & { readonly role?: string | undefined },
): void {
  codedId(w, `${prefix}_MarketParticipant.mRID`, p);
  w.optional(`${prefix}_MarketParticipant.marketRole.type`, p.role);
}

/** ESMP_DateTimeInterval: start, end. */
export function interval(w: XmlWriter, name: string, t: TimeInterval): void {
  w.start(name).element('start', t.start).element('end', t.end).end();
}

export function reason(w: XmlWriter, name: string, r: Reason): void {
  w.start(name).element('code', r.code).optional('text', r.text).end();
}

export function reasons(w: XmlWriter, name: string, rs: readonly Reason[] | undefined): void {
  for (const r of rs ?? []) reason(w, name, r);
}

/** Series_Period: timeInterval, resolution, Point (position, quantity, secondaryQuantity when the document has it). */
export function period(w: XmlWriter, name: string, p: Period, secondaryQuantity: boolean): void {
  w.start(name);
  interval(w, 'timeInterval', p.timeInterval);
  w.element('resolution', p.resolution);
  for (const pt of p.point) {
    w.start('Point').element('position', pt.position).element('quantity', pt.quantity);
    if (secondaryQuantity) w.optional('secondaryQuantity', pt.secondaryQuantity);
    w.end();
  }
  w.end();
}
