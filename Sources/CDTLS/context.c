#include <openssl/err.h>
#include <stdlib.h>

#include "cdtls_internal.h"

/// ECDHE with an ECDSA certificate and AEAD first (what browsers offer); CBC-SHA only as a fallback for
/// older stacks. Every suite needs our ECDSA key, so RSA suites would be dead weight.
static const char *cipher_suites = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:"
                                   "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA";

/// WebRTC peers use self-signed certificates, so chain validation is meaningless: the certificate is
/// authenticated afterwards by comparing its digest with the fingerprint signalled in SDP.
static int cdtls_accept_any_certificate(int preverify_ok, X509_STORE_CTX *store) {
    (void)preverify_ok;
    (void)store;
    return 1;
}

cdtls_context *cdtls_context_new(const cdtls_certificate *certificate, const char *srtp_profiles, char *error,
                                 size_t error_capacity) {
    ERR_clear_error();
    SSL_CTX *ssl_context = SSL_CTX_new(DTLS_method());
    cdtls_context *context = calloc(1, sizeof *context);
    if (ssl_context == NULL || context == NULL) goto failed;

    // No query of the socket's MTU (there is none: the BIO is ours), no renegotiation, no resumption.
    SSL_CTX_set_options(ssl_context, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(ssl_context, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_verify(ssl_context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, cdtls_accept_any_certificate);
    int ok = SSL_CTX_set_min_proto_version(ssl_context, DTLS1_2_VERSION) == 1 &&
             SSL_CTX_set1_groups_list(ssl_context, "X25519:P-256") == 1 &&
             SSL_CTX_set_cipher_list(ssl_context, cipher_suites) == 1 &&
             SSL_CTX_use_certificate(ssl_context, certificate->x509) == 1 &&
             SSL_CTX_use_PrivateKey(ssl_context, certificate->key) == 1 &&
             SSL_CTX_check_private_key(ssl_context) == 1 &&
             // Inverted convention: 0 means success.
             SSL_CTX_set_tlsext_use_srtp(ssl_context, srtp_profiles) == 0;
    if (!ok) goto failed;

    context->ssl_context = ssl_context;
    return context;

failed:
    cdtls_describe_errors("DTLS context setup failed", error, error_capacity);
    SSL_CTX_free(ssl_context);
    free(context);
    return NULL;
}

void cdtls_context_free(cdtls_context *context) {
    if (context == NULL) return;
    SSL_CTX_free(context->ssl_context);
    free(context);
}
