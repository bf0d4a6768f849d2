// Standard base64 (CRYPT-1, with padding) and base64url (BACKUP-8, written unpadded) over
// `btoa`/`atob`, which browsers and Node share, so that the same code runs in both.

function binaryString(bytes: Uint8Array): string {
  let text = '';
  // Chunks keep String.fromCharCode's argument list short for large inputs.
  for (let at = 0; at < bytes.length; at += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return text;
}

/** RFC 4648 §4 base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  return btoa(binaryString(bytes));
}

/** The bytes of a base64 text; callers check its shape against the spec's schema first. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** RFC 4648 §5 base64url without padding, as BACKUP-8 asks writers to write it. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The bytes of a base64url text, with or without padding (BACKUP-8). */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const unpadded = text.replace(/=+$/, '');
  const padded = unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
  return decodeBase64(padded.replaceAll('-', '+').replaceAll('_', '/'));
}
