// Declarations shared by the CDTLS sources but hidden from Swift.
#pragma once

#include <openssl/ssl.h>

#include "CDTLS.h"

struct cdtls_certificate {
    X509 *x509;
    EVP_PKEY *key;
};

struct cdtls_context {
    SSL_CTX *ssl_context;
};

/// Copies OpenSSL's error queue (oldest first, "; "-separated) after `what` into `error` and empties it.
void cdtls_describe_errors(const char *what, char *error, size_t error_capacity);

/// A BIO that hands OpenSSL one received datagram at a time and records each write as its own outgoing
/// datagram, so records are never glued together past the MTU (memory BIOs would concatenate them).
BIO *cdtls_datagram_bio_new(struct cdtls_link *link);

/// The datagram BIO's view of its link (implemented in link.c).
long cdtls_link_bio_mtu(const struct cdtls_link *link);
int cdtls_link_bio_read(struct cdtls_link *link, uint8_t *buffer, int capacity);
int cdtls_link_bio_write(struct cdtls_link *link, const uint8_t *bytes, int length);
