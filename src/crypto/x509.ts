/**
 * The one door to @peculiar/x509: loads the Reflect metadata polyfill it needs (reflect-metadata) first, and points
 * it at Node's WebCrypto. Everything in the hub imports `x509` from here, never the package.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
