// The WebCrypto key type, taken from the global `crypto` rather than from Node's or the DOM's
// declarations, so that the same code type-checks wherever it runs.
export type CryptoKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;
