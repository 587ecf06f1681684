// msgpackr (used by BullMQ) loads 'msgpackr-extract' in a try/catch and falls back to pure
// JavaScript when it throws. The real package lists prebuilt binaries for six platforms, some of
// which the package registry we install from does not carry, which leaves package-lock.json
// unable to satisfy `npm ci`. See docs/adr/0001-runtime-layout-and-tooling.md.
throw new Error('msgpackr native acceleration is disabled in tps-hub');
