import { randomBytes } from 'node:crypto';

/** A fresh app id (PUSH-19: every matching id is served), so tests sharing a server never see each other's changes. */
export const freshAppId = (label = 'app'): string => `${label}-${randomBytes(5).toString('hex')}`;

/** A fresh organization id, for spaces no other test uses. */
export const freshSpaceId = (label = 'org'): string => `${label}-${randomBytes(5).toString('hex')}`;
