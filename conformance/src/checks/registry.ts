import type { Check } from '../check.js';
import { check as push1PushEndpoint } from './push/PUSH-1-push-endpoint.js';
import { check as push2PushBodiesAreJson } from './push/PUSH-2-push-bodies-are-json.js';
import { check as push3ValidatedWhole } from './push/PUSH-3-validated-whole.js';
import { check as push4UnknownOp } from './push/PUSH-4-unknown-op.js';
import { check as push5ClientId } from './push/PUSH-5-client-id.js';
import { check as push6Atomic } from './push/PUSH-6-atomic.js';
import { check as push7OrderKept } from './push/PUSH-7-order-kept.js';
import { check as push8Replay } from './push/PUSH-8-replay.js';
import { check as push9PushIdConflict } from './push/PUSH-9-push-id-conflict.js';
import { check as push11Delta } from './push/PUSH-11-delta.js';
import { check as push12EmptyPush } from './push/PUSH-12-empty-push.js';
import { check as push13SchemaVersions } from './push/PUSH-13-schema-versions.js';
import { check as push14SizeLimits } from './push/PUSH-14-size-limits.js';
import { check as push15NulRefused } from './push/PUSH-15-nul-refused.js';
import { check as push16NestingBounded } from './push/PUSH-16-nesting-bounded.js';
import { check as push18LiveAfterVisible } from './push/PUSH-18-live-after-visible.js';
import { check as push19EveryAppId } from './push/PUSH-19-every-app-id.js';
import { check as push20AuthorIsSubject } from './push/PUSH-20-author-is-subject.js';
import { check as pull1PullEndpoint } from './pull/PULL-1-pull-endpoint.js';
import { check as pull2OpaqueCursors } from './pull/PULL-2-opaque-cursors.js';
import { check as pull3ExactlyOnce } from './pull/PULL-3-exactly-once.js';
import { check as pull4LogOrder } from './pull/PULL-4-log-order.js';
import { check as pull5Pages } from './pull/PULL-5-pages.js';
import { check as pull6CompleteResponseCursor } from './pull/PULL-6-complete-response-cursor.js';
import { check as pull7MissingSince } from './pull/PULL-7-missing-since.js';
import { check as pull8TimestampSince } from './pull/PULL-8-timestamp-since.js';
import { check as pull9UnparseableSince } from './pull/PULL-9-unparseable-since.js';
import { check as pull12EchoPerWriter } from './pull/PULL-12-echo-per-writer.js';
import { check as pull13NoClientId } from './pull/PULL-13-no-client-id.js';
import { check as pull14OneCursorAllTables } from './pull/PULL-14-one-cursor-all-tables.js';
import { check as pull15NoStore } from './pull/PULL-15-no-store.js';
import { check as pull16VisibilityPerChange } from './pull/PULL-16-visibility-per-change.js';
import { check as sse1StreamEndpoint } from './sse/SSE-1-stream-endpoint.js';
import { check as sse2BacklogThenLive } from './sse/SSE-2-backlog-then-live.js';
import { check as sse3ChangesEvents } from './sse/SSE-3-changes-events.js';
import { check as sse4EventIds } from './sse/SSE-4-event-ids.js';
import { check as sse5Resume } from './sse/SSE-5-resume.js';
import { check as sse6Heartbeats } from './sse/SSE-6-heartbeats.js';
import { check as sse7HeartbeatPeriod } from './sse/SSE-7-heartbeat-period.js';
import { check as sse8EchoSuppression } from './sse/SSE-8-echo-suppression.js';
import { check as sse9EveryReader } from './sse/SSE-9-every-reader.js';
import { check as sse10SlowReader } from './sse/SSE-10-slow-reader.js';
import { check as sse11Retry } from './sse/SSE-11-retry.js';
import { check as sse12TokenExpiry } from './sse/SSE-12-token-expiry.js';
import { check as sse13TablesValidated } from './sse/SSE-13-tables-validated.js';
import { check as sse14ErrorEvents } from './sse/SSE-14-error-events.js';
import { check as ws1Endpoints } from './ws/WS-1-endpoints.js';
import { check as ws2InBandAuth } from './ws/WS-2-in-band-auth.js';
import { check as ws3AuthDeadline } from './ws/WS-3-auth-deadline.js';
import { check as ws4PingPong } from './ws/WS-4-ping-pong.js';
import { check as ws5AuthFirst } from './ws/WS-5-auth-first.js';
import { check as ws6InvalidAfterAuth } from './ws/WS-6-invalid-after-auth.js';
import { check as ws7MessageSize } from './ws/WS-7-message-size.js';
import { check as ws8EveryReader } from './ws/WS-8-every-reader.js';
import { check as ws9UnifiedAndLegacy } from './ws/WS-9-unified-and-legacy.js';
import { check as ws10NoSelfNotification } from './ws/WS-10-no-self-notification.js';
import { check as ws11NoLeak } from './ws/WS-11-no-leak.js';
import { check as ws12TokenExpiry } from './ws/WS-12-token-expiry.js';
import { check as ws13Keepalive } from './ws/WS-13-keepalive.js';
import { check as ws14MembershipChanges } from './ws/WS-14-membership-changes.js';
import { check as lww1InstantsOnInput } from './lww/LWW-1-instants-on-input.js';
import { check as lww2CanonicalOutput } from './lww/LWW-2-canonical-output.js';
import { check as lww3MillisecondResolution } from './lww/LWW-3-millisecond-resolution.js';
import { check as lww8StampsRelayed } from './lww/LWW-8-stamps-relayed.js';
import { check as lww9MissingStamps } from './lww/LWW-9-missing-stamps.js';
import { check as lww10UpdatedAtAlias } from './lww/LWW-10-updated-at-alias.js';
import { check as lww11WholeStamp } from './lww/LWW-11-whole-stamp.js';
import { check as lww12FutureStamps } from './lww/LWW-12-future-stamps.js';
import { check as space1SpaceResolution } from './space/SPACE-1-space-resolution.js';
import { check as space2WhoMayRead } from './space/SPACE-2-who-may-read.js';
import { check as space3PersonalSpaces } from './space/SPACE-3-personal-spaces.js';
import { check as space4OnlyMembersWrite } from './space/SPACE-4-only-members-write.js';
import { check as space5RecordStaysInSpace } from './space/SPACE-5-record-stays-in-space.js';
import { check as space6MembershipsFromAuthService } from './space/SPACE-6-memberships-from-auth-service.js';
import { check as space7FailuresNotCached } from './space/SPACE-7-failures-not-cached.js';
import { check as space8RevocationBound } from './space/SPACE-8-revocation-bound.js';
import { check as space8OpenStreams } from './space/SPACE-8-open-streams.js';
import { check as space9Invalidate } from './space/SPACE-9-invalidate.js';
import { check as space10MembershipOutage } from './space/SPACE-10-membership-outage.js';
import { check as space11JoiningIncludesHistory } from './space/SPACE-11-joining-includes-history.js';
import { check as space12NoLeak } from './space/SPACE-12-no-leak.js';
import { check as auth1BearerRequired } from './auth/AUTH-1-bearer-required.js';
import { check as auth2EddsaOnly } from './auth/AUTH-2-eddsa-only.js';
import { check as auth3SignatureAgainstKid } from './auth/AUTH-3-signature-against-kid.js';
import { check as auth4TokensExpire } from './auth/AUTH-4-tokens-expire.js';
import { check as auth5NotYetValid } from './auth/AUTH-5-not-yet-valid.js';
import { check as auth6SubjectRequired } from './auth/AUTH-6-subject-required.js';
import { check as auth8UnknownKidRefresh } from './auth/AUTH-8-unknown-kid-refresh.js';
import { check as auth9JwksOutage } from './auth/AUTH-9-jwks-outage.js';
import { check as auth10OversizedUnread } from './auth/AUTH-10-oversized-unread.js';
import { check as auth11EveryTransport } from './auth/AUTH-11-every-transport.js';
import { check as auth12MalformedAuthorization } from './auth/AUTH-12-malformed-authorization.js';
import { check as auth13SubjectOnlyIdentity } from './auth/AUTH-13-subject-only-identity.js';
import { check as err1JsonErrorBodies } from './err/ERR-1-json-error-bodies.js';
import { check as err2CodesAndStatuses } from './err/ERR-2-codes-and-statuses.js';
import { check as err3ErrorsCiteRequirement } from './err/ERR-3-errors-cite-requirement.js';
import { check as err4BadInputNo5xx } from './err/ERR-4-bad-input-no-5xx.js';
import { check as err5UnknownEndpoints } from './err/ERR-5-unknown-endpoints.js';
import { check as err6WrongMethods } from './err/ERR-6-wrong-methods.js';
import { check as err7RetryAfter } from './err/ERR-7-retry-after.js';
import { check as err8NoInternals } from './err/ERR-8-no-internals.js';
import { check as err11OrderOfChecks } from './err/ERR-11-order-of-checks.js';
import { check as ops1Health } from './ops/OPS-1-health.js';
import { check as ops2RealLimits } from './ops/OPS-2-real-limits.js';
import { check as ops3Metrics } from './ops/OPS-3-metrics.js';
import { check as ops5Cors } from './ops/OPS-5-cors.js';
import { check as ops6LimitsAccepted } from './ops/OPS-6-limits-accepted.js';
import { check as ops10JsonContentType } from './ops/OPS-10-json-content-type.js';
import { check as crypt9EncryptedValuesOpaque } from './crypt/CRYPT-9-encrypted-values-opaque.js';
import { check as pull3ModelExactlyOnce } from './pull/PULL-3-model-exactly-once.js';
import { check as pull3ModelConcurrentPushes } from './pull/PULL-3-model-concurrent-pushes.js';
import { check as pull12ModelEchoSuppression } from './pull/PULL-12-model-echo-suppression.js';
import { check as push8ModelRetryAndAtomicity } from './push/PUSH-8-model-retry-and-atomicity.js';
import { check as sse9ModelCoMembersLive } from './sse/SSE-9-model-co-members-live.js';
import { check as ws8ModelCoMembersNotified } from './ws/WS-8-model-co-members-notified.js';
import { check as lww8ModelConvergence } from './lww/LWW-8-model-convergence.js';
import { check as space4ModelNonMemberWrites } from './space/SPACE-4-model-non-member-writes.js';
import { check as space8ModelRevocation } from './space/SPACE-8-model-revocation.js';
import { check as space12ModelOutsider } from './space/SPACE-12-model-outsider.js';

/** Every check of the suite, in the spec's order of areas and requirements. */
export const ALL_CHECKS: readonly Check[] = [
  push1PushEndpoint,
  push2PushBodiesAreJson,
  push3ValidatedWhole,
  push4UnknownOp,
  push5ClientId,
  push6Atomic,
  push7OrderKept,
  push8Replay,
  push9PushIdConflict,
  push11Delta,
  push12EmptyPush,
  push13SchemaVersions,
  push14SizeLimits,
  push15NulRefused,
  push16NestingBounded,
  push18LiveAfterVisible,
  push19EveryAppId,
  push20AuthorIsSubject,
  pull1PullEndpoint,
  pull2OpaqueCursors,
  pull3ExactlyOnce,
  pull4LogOrder,
  pull5Pages,
  pull6CompleteResponseCursor,
  pull7MissingSince,
  pull8TimestampSince,
  pull9UnparseableSince,
  pull12EchoPerWriter,
  pull13NoClientId,
  pull14OneCursorAllTables,
  pull15NoStore,
  pull16VisibilityPerChange,
  sse1StreamEndpoint,
  sse2BacklogThenLive,
  sse3ChangesEvents,
  sse4EventIds,
  sse5Resume,
  sse6Heartbeats,
  sse7HeartbeatPeriod,
  sse8EchoSuppression,
  sse9EveryReader,
  sse10SlowReader,
  sse11Retry,
  sse12TokenExpiry,
  sse13TablesValidated,
  sse14ErrorEvents,
  ws1Endpoints,
  ws2InBandAuth,
  ws3AuthDeadline,
  ws4PingPong,
  ws5AuthFirst,
  ws6InvalidAfterAuth,
  ws7MessageSize,
  ws8EveryReader,
  ws9UnifiedAndLegacy,
  ws10NoSelfNotification,
  ws11NoLeak,
  ws12TokenExpiry,
  ws13Keepalive,
  ws14MembershipChanges,
  lww1InstantsOnInput,
  lww2CanonicalOutput,
  lww3MillisecondResolution,
  lww8StampsRelayed,
  lww9MissingStamps,
  lww10UpdatedAtAlias,
  lww11WholeStamp,
  lww12FutureStamps,
  space1SpaceResolution,
  space2WhoMayRead,
  space3PersonalSpaces,
  space4OnlyMembersWrite,
  space5RecordStaysInSpace,
  space6MembershipsFromAuthService,
  space7FailuresNotCached,
  space8RevocationBound,
  space8OpenStreams,
  space9Invalidate,
  space10MembershipOutage,
  space11JoiningIncludesHistory,
  space12NoLeak,
  auth1BearerRequired,
  auth2EddsaOnly,
  auth3SignatureAgainstKid,
  auth4TokensExpire,
  auth5NotYetValid,
  auth6SubjectRequired,
  auth8UnknownKidRefresh,
  auth9JwksOutage,
  auth10OversizedUnread,
  auth11EveryTransport,
  auth12MalformedAuthorization,
  auth13SubjectOnlyIdentity,
  err1JsonErrorBodies,
  err2CodesAndStatuses,
  err3ErrorsCiteRequirement,
  err4BadInputNo5xx,
  err5UnknownEndpoints,
  err6WrongMethods,
  err7RetryAfter,
  err8NoInternals,
  err11OrderOfChecks,
  ops1Health,
  ops2RealLimits,
  ops3Metrics,
  ops5Cors,
  ops6LimitsAccepted,
  ops10JsonContentType,
  crypt9EncryptedValuesOpaque,
  // Model-based properties (conformance/properties/): fast-check drives the users' devices against the model.
  pull3ModelExactlyOnce,
  pull3ModelConcurrentPushes,
  pull12ModelEchoSuppression,
  push8ModelRetryAndAtomicity,
  sse9ModelCoMembersLive,
  ws8ModelCoMembersNotified,
  lww8ModelConvergence,
  space4ModelNonMemberWrites,
  space8ModelRevocation,
  space12ModelOutsider,
];
