#include <openssl/err.h>
#include <openssl/srtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "cdtls_internal.h"

/// A flight is a handful of datagrams; more than this between two drains means nobody drains, so the
/// excess is dropped the way a full socket buffer would drop it (DTLS retransmits).
#define CDTLS_MAX_QUEUED_DATAGRAMS 64
/// RFC 6347 §4.2.4.1: back off up to 60 seconds.
static const unsigned int maximum_timeout_us = 60 * 1000 * 1000;
/// The RFC 5764 exporter label.
static const char srtp_exporter_label[] = "EXTRACTOR-dtls_srtp";

typedef struct {
    uint8_t *bytes;
    size_t length;
} cdtls_datagram;

struct cdtls_link {
    SSL *ssl;
    long mtu;
    unsigned int initial_timeout_us;
    /// The datagram being received; borrowed from the caller for the duration of one receive call.
    const uint8_t *incoming;
    size_t incoming_length;
    cdtls_datagram outgoing[CDTLS_MAX_QUEUED_DATAGRAMS];
    size_t outgoing_count;
    char last_error[512];
};

// MARK: - Datagram BIO callbacks

long cdtls_link_bio_mtu(const struct cdtls_link *link) { return link->mtu; }

int cdtls_link_bio_read(struct cdtls_link *link, uint8_t *buffer, int capacity) {
    if (link->incoming == NULL || capacity <= 0) return -1;
    // Datagram semantics: one read takes the whole datagram; what does not fit is lost.
    size_t length = link->incoming_length < (size_t)capacity ? link->incoming_length : (size_t)capacity;
    memcpy(buffer, link->incoming, length);
    link->incoming = NULL;
    link->incoming_length = 0;
    return (int)length;
}

int cdtls_link_bio_write(struct cdtls_link *link, const uint8_t *bytes, int length) {
    if (length <= 0) return 0;
    if (link->outgoing_count == CDTLS_MAX_QUEUED_DATAGRAMS) return length;
    uint8_t *copy = malloc((size_t)length);
    if (copy == NULL) return length;  // lost like any datagram; the retransmission timer recovers
    memcpy(copy, bytes, (size_t)length);
    link->outgoing[link->outgoing_count++] = (cdtls_datagram){.bytes = copy, .length = (size_t)length};
    return length;
}

// MARK: - Life cycle

/// OpenSSL's own first timeout is a fixed second; this lets each link choose it, then doubles.
static unsigned int cdtls_next_timeout(SSL *ssl, unsigned int previous_us) {
    const struct cdtls_link *link = SSL_get_app_data(ssl);
    if (previous_us == 0) return link->initial_timeout_us;
    return previous_us >= maximum_timeout_us / 2 ? maximum_timeout_us : previous_us * 2;
}

cdtls_link *cdtls_link_new(cdtls_context *context, int is_server, const char *srtp_profiles, unsigned mtu,
                           unsigned initial_timeout_ms, char *error, size_t error_capacity) {
    ERR_clear_error();
    cdtls_link *link = calloc(1, sizeof *link);
    SSL *ssl = SSL_new(context->ssl_context);
    BIO *bio = link == NULL ? NULL : cdtls_datagram_bio_new(link);
    if (link == NULL || ssl == NULL || bio == NULL) {
        BIO_free(bio);
        goto failed;
    }
    SSL_set_bio(ssl, bio, bio);  // one reference serves both directions
    SSL_set_app_data(ssl, link);
    link->ssl = ssl;
    link->mtu = (long)mtu;
    link->initial_timeout_us = initial_timeout_ms == 0 ? 1 : initial_timeout_ms * 1000;
    if (srtp_profiles != NULL && SSL_set_tlsext_use_srtp(ssl, srtp_profiles) != 0) goto failed;
    if (SSL_set_mtu(ssl, (long)mtu) <= 0) goto failed;  // refused below DTLS's minimum
    DTLS_set_timer_cb(ssl, cdtls_next_timeout);
    if (is_server) {
        SSL_set_accept_state(ssl);
    } else {
        SSL_set_connect_state(ssl);
    }
    return link;

failed:
    cdtls_describe_errors("DTLS endpoint setup failed", error, error_capacity);
    SSL_free(ssl);
    free(link);
    return NULL;
}

void cdtls_link_free(cdtls_link *link) {
    if (link == NULL) return;
    cdtls_link_clear_outgoing(link);
    SSL_free(link->ssl);  // frees the BIO too
    free(link);
}

// MARK: - Driving OpenSSL

/// Maps an SSL_* return value to a result, recording the reason of a failure.
static cdtls_result cdtls_link_outcome(cdtls_link *link, int returned, const char *what) {
    int code = SSL_get_error(link->ssl, returned);
    switch (code) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        ERR_clear_error();
        return CDTLS_RESULT_PENDING;
    case SSL_ERROR_ZERO_RETURN:
        ERR_clear_error();
        return CDTLS_RESULT_CLOSED;
    default: {
        char prefix[96];
        snprintf(prefix, sizeof prefix, "%s (SSL_get_error %d)", what, code);
        cdtls_describe_errors(prefix, link->last_error, sizeof link->last_error);
        return CDTLS_RESULT_FAILED;
    }
    }
}

/// Advances the handshake, or once it is done reads (and discards) application data so alerts,
/// retransmitted Finished messages and close_notify are processed.
static cdtls_result cdtls_link_drive(cdtls_link *link) {
    ERR_clear_error();
    if (!SSL_is_init_finished(link->ssl)) {
        int returned = SSL_do_handshake(link->ssl);
        return returned == 1 ? CDTLS_RESULT_HANDSHAKE_DONE
                             : cdtls_link_outcome(link, returned, "DTLS handshake failed");
    }
    uint8_t discarded[2048];
    for (;;) {
        int returned = SSL_read(link->ssl, discarded, sizeof discarded);
        if (returned > 0) continue;
        cdtls_result result = cdtls_link_outcome(link, returned, "DTLS read failed");
        if (result == CDTLS_RESULT_CLOSED) cdtls_link_shutdown(link);  // answer close_notify in kind
        return result;
    }
}

cdtls_result cdtls_link_start(cdtls_link *link) { return cdtls_link_drive(link); }

cdtls_result cdtls_link_receive(cdtls_link *link, const uint8_t *datagram, size_t length) {
    link->incoming = datagram;
    link->incoming_length = length;
    cdtls_result result = cdtls_link_drive(link);
    link->incoming = NULL;  // never keep the caller's buffer past this call
    link->incoming_length = 0;
    return result;
}

long long cdtls_link_timeout_us(cdtls_link *link) {
    struct timeval remaining;
    if (DTLSv1_get_timeout(link->ssl, &remaining) != 1) return -1;
    return (long long)remaining.tv_sec * 1000000 + remaining.tv_usec;
}

cdtls_result cdtls_link_handle_timeout(cdtls_link *link) {
    ERR_clear_error();
    if (DTLSv1_handle_timeout(link->ssl) >= 0) return CDTLS_RESULT_PENDING;
    cdtls_describe_errors("DTLS retransmission failed", link->last_error, sizeof link->last_error);
    return CDTLS_RESULT_FAILED;
}

void cdtls_link_shutdown(cdtls_link *link) {
    ERR_clear_error();
    if (SSL_is_init_finished(link->ssl)) SSL_shutdown(link->ssl);
    ERR_clear_error();
}

// MARK: - Outgoing datagrams

size_t cdtls_link_outgoing_count(const cdtls_link *link) { return link->outgoing_count; }

const uint8_t *cdtls_link_outgoing_datagram(const cdtls_link *link, size_t index, size_t *length) {
    if (index >= link->outgoing_count) {
        *length = 0;
        return NULL;
    }
    *length = link->outgoing[index].length;
    return link->outgoing[index].bytes;
}

void cdtls_link_clear_outgoing(cdtls_link *link) {
    for (size_t index = 0; index < link->outgoing_count; index++) free(link->outgoing[index].bytes);
    link->outgoing_count = 0;
}

// MARK: - Results of the handshake

const char *cdtls_link_last_error(const cdtls_link *link) { return link->last_error; }

int cdtls_link_peer_certificate_sha256(const cdtls_link *link, uint8_t *digest) {
    X509 *peer = SSL_get0_peer_certificate(link->ssl);
    unsigned int length = 0;
    return peer != NULL && X509_digest(peer, EVP_sha256(), digest, &length) == 1 && length == CDTLS_SHA256_LENGTH;
}

unsigned long cdtls_link_selected_srtp_profile(const cdtls_link *link) {
    SRTP_PROTECTION_PROFILE *profile = SSL_get_selected_srtp_profile(link->ssl);
    return profile == NULL ? 0 : profile->id;
}

int cdtls_link_export_srtp_keying_material(const cdtls_link *link, uint8_t *output, size_t length) {
    return SSL_export_keying_material(link->ssl, output, length, srtp_exporter_label, sizeof srtp_exporter_label - 1,
                                      NULL, 0, 0) == 1;
}
