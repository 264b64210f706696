// Generated from the Rust enums by `cargo test -p qiquan-server codes_ts` (QIQUAN_BLESS=1 rewrites it):
// do not edit. The engine's own codes are `ErrorCode` in pkg/qiquan.d.ts (tsify).
import type { ErrorCode, Text } from '../../pkg/qiquan';

/** Error codes only the server sends (ServerErrorCode, server/src/server/error.rs). */
export type ServerErrorCode =
  | 'not_found'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'timeout'
  | 'internal'
  | 'malformed_request'
  | 'uri_too_long'
  | 'headers_too_large'
  | 'too_many_connections'
  | 'rules_bundle_unavailable';

/** The case register's error codes (RegisterCode, server/src/server/register/error.rs). */
export type RegisterCode =
  | 'application_not_found'
  | 'unknown_material'
  | 'material_not_received'
  | 'handover_not_found'
  | 'receipt_not_found'
  | 'ledger_entry_not_found'
  | 'invalid_idempotency_key'
  | 'idempotency_conflict'
  | 'already_decided'
  | 'invalid_state'
  | 'not_identifiable'
  | 'file_too_large'
  | 'file_type_not_accepted'
  | 'invalid_request'
  | 'unsupported_media_type'
  | 'storage'
  | 'upload_too_slow'
  | 'not_stored'
  | 'database_replaced'
  | 'database_unavailable';

/** The access layer's error codes (AccessCode, server/src/server/access/error.rs). */
export type AccessCode =
  'unauthenticated' | 'forbidden' | 'channel_not_allowed' | 'reason_required' | 'as_of_not_allowed' | 'rate_limited';

/** Every code an error response of the server carries. */
export type ApiErrorCode = ErrorCode | ServerErrorCode | RegisterCode | AccessCode;

/** The one error envelope: the server's, the register's, the CLI's and the wasm module's. */
export interface ApiError {
  error: {
    code: ApiErrorCode;
    message: Text;
    /** A JSON pointer into the request body, or a file path. */
    at?: string;
    details?: string[];
  };
}
