// OpenSSL 3 glue for DTLS-SRTP. Swift cannot call much of OpenSSL directly (function-like macros such as
// SSL_set_mtu and DTLSv1_get_timeout, EVP_EC_gen, BIO callbacks), so this target owns every OpenSSL call
// and exposes a small sans-IO API over opaque handles: datagrams in, datagrams out. No OpenSSL header
// leaks into Swift. Policy (fingerprint checks, keying material layout, state) stays in Swift.
#pragma once

#include <stddef.h>
#include <stdint.h>

/// A self-signed ECDSA P-256 certificate with its private key.
typedef struct cdtls_certificate cdtls_certificate;

/// A DTLS 1.2 configuration (an SSL_CTX) bound to one certificate; shared by every link of a node.
typedef struct cdtls_context cdtls_context;

/// One DTLS association (an SSL plus its datagram BIO); single-threaded.
typedef struct cdtls_link cdtls_link;

/// SHA-256 digests are 32 bytes.
#define CDTLS_SHA256_LENGTH 32

/// DTLS-SRTP protection profile identifiers (RFC 5764 §4.1.2, RFC 7714 §14.2).
#define CDTLS_SRTP_AES128_CM_SHA1_80 0x0001
#define CDTLS_SRTP_AEAD_AES_128_GCM 0x0007

/// What one call into a link decided.
typedef enum {
    /// Nothing decided yet: keep feeding datagrams (outgoing ones may be queued).
    CDTLS_RESULT_PENDING = 0,
    /// The handshake finished during this call.
    CDTLS_RESULT_HANDSHAKE_DONE = 1,
    /// The peer sent close_notify (ours is queued in reply).
    CDTLS_RESULT_CLOSED = 2,
    /// A fatal error; cdtls_link_last_error describes it.
    CDTLS_RESULT_FAILED = 3,
} cdtls_result;

/// Generates a fresh key pair and a self-signed X.509 v3 certificate for it, valid from one day ago
/// for `validity_days`. Returns NULL on failure with the OpenSSL error text in `error`.
cdtls_certificate *cdtls_certificate_generate(const char *common_name, int validity_days, char *error,
                                              size_t error_capacity);
void cdtls_certificate_free(cdtls_certificate *certificate);
/// Writes the SHA-256 digest of the DER certificate into `digest` (CDTLS_SHA256_LENGTH bytes). Returns 1 on success.
int cdtls_certificate_sha256(const cdtls_certificate *certificate, uint8_t *digest);

/// Builds the DTLS 1.2 context for `certificate`: peer certificate required, ECDHE X25519/P-256, ECDSA
/// AEAD suites, use_srtp with `srtp_profiles` (OpenSSL names, preferred first). NULL on failure.
cdtls_context *cdtls_context_new(const cdtls_certificate *certificate, const char *srtp_profiles, char *error,
                                 size_t error_capacity);
void cdtls_context_free(cdtls_context *context);

/// Creates a link as DTLS server (`is_server` != 0) or client. `srtp_profiles` overrides the context's
/// offer when not NULL; `mtu` bounds every datagram; `initial_timeout_ms` starts the retransmission timer
/// (doubling up to 60 s). NULL on failure with the reason in `error`.
cdtls_link *cdtls_link_new(cdtls_context *context, int is_server, const char *srtp_profiles, unsigned mtu,
                           unsigned initial_timeout_ms, char *error, size_t error_capacity);
void cdtls_link_free(cdtls_link *link);

/// Starts the handshake: a client queues its ClientHello; a server only waits.
cdtls_result cdtls_link_start(cdtls_link *link);
/// Processes one received datagram (handshake records, alerts, application data which is discarded).
cdtls_result cdtls_link_receive(cdtls_link *link, const uint8_t *datagram, size_t length);
/// Microseconds until the next retransmission, or -1 when no timer runs.
long long cdtls_link_timeout_us(cdtls_link *link);
/// Retransmits the last flight if its timer expired (DTLSv1_handle_timeout).
cdtls_result cdtls_link_handle_timeout(cdtls_link *link);
/// Queues a close_notify alert.
void cdtls_link_shutdown(cdtls_link *link);

/// The datagrams OpenSSL wrote since the last clear, one per BIO write.
size_t cdtls_link_outgoing_count(const cdtls_link *link);
const uint8_t *cdtls_link_outgoing_datagram(const cdtls_link *link, size_t index, size_t *length);
void cdtls_link_clear_outgoing(cdtls_link *link);

/// The reason of the last CDTLS_RESULT_FAILED (OpenSSL's error queue), never NULL.
const char *cdtls_link_last_error(const cdtls_link *link);
/// SHA-256 of the peer's certificate into `digest`; returns 0 when the peer presented none.
int cdtls_link_peer_certificate_sha256(const cdtls_link *link, uint8_t *digest);
/// The negotiated DTLS-SRTP profile id (CDTLS_SRTP_*), or 0 when none was negotiated.
unsigned long cdtls_link_selected_srtp_profile(const cdtls_link *link);
/// RFC 5764 §4.2 keying material ("EXTRACTOR-dtls_srtp", no context) into `output`. Returns 1 on success.
int cdtls_link_export_srtp_keying_material(const cdtls_link *link, uint8_t *output, size_t length);
