/**
 * Deterministic test documents, built with our own writer: a GL_MarketDocument (IEC 62325-451-6
 * generation/load 3:0) of any size, a UFTP 3.1.0 FlexOffer of any size, and a SignedMessage
 * around any payload (libsodium crypto_sign combined format: signature ‖ payload, made here with
 * node:crypto Ed25519, which produces identical bytes).
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { XmlWriter } from '../../src/xml/write.js';

export const GL_NS_3_0 = 'urn:iec62325.351:tc57wg16:451-6:generationloaddocument:3:0';

export interface GlOptions {
  readonly points?: number;
  readonly timeSeries?: number;
  readonly indent?: number;
  readonly namespace?: string;
  readonly mRID?: string;
}

/** About 5 KB with the defaults (1 time series, 48 points, indent 2). */
export function glMarketDocument(o: GlOptions = {}): string {
  const points = o.points ?? 48;
  const w = new XmlWriter({ indent: o.indent ?? 2 });
  w.root('GL_MarketDocument', o.namespace ?? GL_NS_3_0)
    .element('mRID', o.mRID ?? '5693afe33ce749e4b0cea17f1f64f211')
    .element('revisionNumber', 1)
    .element('type', 'A65')
    .element('process.processType', 'A16')
    .element('sender_MarketParticipant.mRID', '10X1001A1001A450', { codingScheme: 'A01' })
    .element('sender_MarketParticipant.marketRole.type', 'A32')
    .element('receiver_MarketParticipant.mRID', '10X1001A1001A450', { codingScheme: 'A01' })
    .element('receiver_MarketParticipant.marketRole.type', 'A33')
    .element('createdDateTime', '2016-02-26T07:24:53Z')
    .start('time_Period.timeInterval')
    .element('start', '2015-12-31T23:00Z')
    .element('end', '2016-01-01T23:00Z')
    .end();
  for (let ts = 1; ts <= (o.timeSeries ?? 1); ts++) {
    w.start('TimeSeries')
      .element('mRID', ts)
      .element('businessType', 'A04')
      .element('objectAggregation', 'A01')
      .element('outBiddingZone_Domain.mRID', '10YCZ-CEPS-----N', { codingScheme: 'A01' })
      .element('quantity_Measure_Unit.name', 'MAW')
      .element('curveType', 'A01')
      .start('Period')
      .start('timeInterval')
      .element('start', '2015-12-31T23:00Z')
      .element('end', '2016-01-01T23:00Z')
      .end()
      .element('resolution', 'PT30M');
    for (let p = 1; p <= points; p++)
      w.start('Point')
        .element('position', p)
        .element('quantity', 6000 + p)
        .end();
    w.end().end();
  }
  return w.end().toString();
}

/** Enough time series of 48 points for roughly `bytes` bytes. */
export function glMarketDocumentOfSize(bytes: number): string {
  const one = glMarketDocument().length;
  return glMarketDocument({ timeSeries: Math.max(1, Math.round(bytes / (one * 0.93))) });
}

export interface FlexOfferOptions {
  readonly options?: number;
  readonly isps?: number;
  readonly senderDomain?: string;
}

/** A UFTP 3.1.0 FlexOffer; about 3 KB with the defaults (4 options × 12 ISPs). */
export function flexOffer(o: FlexOfferOptions = {}): string {
  const w = new XmlWriter({ indent: 2 });
  w.root('FlexOffer', undefined, {
    Version: '3.1.0',
    SenderDomain: o.senderDomain ?? 'agr.example.com',
    RecipientDomain: 'dso.example.com',
    TimeStamp: '2025-06-02T13:10:00+02:00',
    MessageID: 'c3d10496-b692-499d-af4a-4dc88acf43b4',
    ConversationID: 'd70a7c94-2df6-47e8-9883-b1dae5998023',
    'ISP-Duration': 'PT15M',
    TimeZone: 'Europe/Amsterdam',
    Period: '2025-06-03',
    CongestionPoint: 'ean.871685900012345678',
    ExpirationDateTime: '2025-06-02T16:00:00+02:00',
    FlexRequestMessageID: 'b77a4d95-9974-41a7-890f-72a7be944091',
    Currency: 'EUR',
  });
  for (let i = 1; i <= (o.options ?? 4); i++) {
    w.start('OfferOption', { OptionReference: `OPT-${i}`, Price: `${100 + i}.5000`, MinActivationFactor: '0.50' });
    for (let s = 1; s <= (o.isps ?? 12); s++) w.element('ISP', undefined, { Power: -1000 * s, Start: 60 + s, Duration: 1 });
    w.end();
  }
  return w.end().toString();
}

let testKey: KeyObject | undefined;
function signingKey(): KeyObject {
  testKey ??= generateKeyPairSync('ed25519').privateKey;
  return testKey;
}

/** base64(Ed25519 signature ‖ payload), as UFTP cs1 / libsodium crypto_sign produces it. */
export function signedBody(payload: Buffer | string): string {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const signature = sign(null, bytes, signingKey());
  return Buffer.concat([signature, bytes]).toString('base64');
}

export function signedMessage(body: string, senderDomain = 'agr.example.com', senderRole = 'AGR'): string {
  return new XmlWriter()
    .root('SignedMessage', undefined, { SenderDomain: senderDomain, SenderRole: senderRole, Body: body })
    .end()
    .toString();
}
