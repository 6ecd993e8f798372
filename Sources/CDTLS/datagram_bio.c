#include <openssl/bio.h>
#include <pthread.h>

#include "cdtls_internal.h"

static BIO_METHOD *datagram_method = NULL;
static pthread_once_t datagram_method_once = PTHREAD_ONCE_INIT;

static int cdtls_datagram_write(BIO *bio, const char *bytes, int length) {
    BIO_clear_retry_flags(bio);
    return cdtls_link_bio_write(BIO_get_data(bio), (const uint8_t *)bytes, length);
}

static int cdtls_datagram_read(BIO *bio, char *buffer, int capacity) {
    BIO_clear_retry_flags(bio);
    int read = cdtls_link_bio_read(BIO_get_data(bio), (uint8_t *)buffer, capacity);
    // Nothing pending is "try again later", never end of file: the next datagram may come any time.
    if (read < 0) BIO_set_retry_read(bio);
    return read;
}

static long cdtls_datagram_ctrl(BIO *bio, int command, long number, void *pointer) {
    (void)number;
    (void)pointer;
    switch (command) {
    case BIO_CTRL_FLUSH:
        return 1;  // every write already is a datagram
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
        return cdtls_link_bio_mtu(BIO_get_data(bio));
    default:
        // Pending counts, MTU overhead (we count UDP payload), peer addresses, timeouts: nothing to do.
        return 0;
    }
}

static int cdtls_datagram_create(BIO *bio) {
    BIO_set_init(bio, 1);
    return 1;
}

static void cdtls_datagram_make_method(void) {
    BIO_METHOD *method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "parley datagram");
    if (method == NULL) return;
    if (BIO_meth_set_write(method, cdtls_datagram_write) != 1 || BIO_meth_set_read(method, cdtls_datagram_read) != 1 ||
        BIO_meth_set_ctrl(method, cdtls_datagram_ctrl) != 1 ||
        BIO_meth_set_create(method, cdtls_datagram_create) != 1) {
        BIO_meth_free(method);
        return;
    }
    datagram_method = method;
}

BIO *cdtls_datagram_bio_new(struct cdtls_link *link) {
    pthread_once(&datagram_method_once, cdtls_datagram_make_method);
    if (datagram_method == NULL) return NULL;
    BIO *bio = BIO_new(datagram_method);
    if (bio != NULL) BIO_set_data(bio, link);
    return bio;
}
